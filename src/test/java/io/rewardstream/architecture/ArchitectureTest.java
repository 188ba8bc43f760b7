package io.rewardstream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package map of docs/architecture.md, checked on the main classes: no package cycles (neither between the
 * top-level packages nor between any two packages, role sub-packages included), no Kafka Streams internals, a model
 * core that knows nothing of Kafka, roles that do not reach into each other, and applications nothing depends on.
 */
@AnalyzeClasses(packages = "io.rewardstream", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] MODEL_CORE = {"io.rewardstream.common..", "io.rewardstream.head..",
        "io.rewardstream.onnx..", "io.rewardstream.runtime..", "io.rewardstream.encoder..", "io.rewardstream.model..",
        "io.rewardstream.data..", "io.rewardstream.evaluation..", "io.rewardstream.learning.."};

    private static final String[] APPLICATIONS = {"io.rewardstream.cli..", "io.rewardstream.demo..",
        "io.rewardstream.bench..", "io.rewardstream.topologydocs..", "io.rewardstream.monitor.."};

    @ArchTest
    static final ArchRule topLevelPackagesHaveNoCycles = slices().matching("io.rewardstream.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noTwoPackagesDependOnEachOther = slices().matching("io.rewardstream.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noKafkaStreamsInternals = noClasses()
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka.streams.processor.internals..")
            .because("internal classes change without notice between Kafka releases");

    @ArchTest
    static final ArchRule theModelCoreKnowsNoKafka = noClasses().that().resideInAnyPackage(MODEL_CORE)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.rewardstream.avro..",
                    "io.rewardstream.serde..", "io.rewardstream.registry..", "io.rewardstream.streams..",
                    "io.rewardstream.scorer..", "io.rewardstream.trainer..")
            .because("the offline commands train, evaluate and export without a broker");

    @ArchTest
    static final ArchRule httpGoesThroughTheSharedPort = noClasses()
            .should().dependOnClassesThat().resideInAPackage("com.sun.net.httpserver..")
            .because("every HTTP port is an io.rewardstream.http.HttpPort on Jetty, with its limits and timeouts");

    @ArchTest
    static final ArchRule theScorerDoesNotReachIntoTheTrainer = noClasses().that()
            .resideInAPackage("io.rewardstream.scorer..")
            .should().dependOnClassesThat().resideInAPackage("io.rewardstream.trainer..");

    @ArchTest
    static final ArchRule theTrainerDoesNotReachIntoTheScorer = noClasses().that()
            .resideInAPackage("io.rewardstream.trainer..")
            .should().dependOnClassesThat().resideInAPackage("io.rewardstream.scorer..");

    @ArchTest
    static final ArchRule nothingDependsOnTheApplications = noClasses().that().resideOutsideOfPackages(APPLICATIONS)
            .should().dependOnClassesThat().resideInAnyPackage(APPLICATIONS);
}
