package io.rewardstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.Topics;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.trainer.TrainerRole;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The manifests of {@code k8s/} read into the Kubernetes API's own classes (fabric8's model), failing on any field
 * the API does not have, and held to what a platform team asks of them: the restricted Pod Security profile, static
 * membership, grace periods longer than the Kafka Streams close timeouts, disruption budgets, scrape annotations,
 * credentials from Secrets, KEDA scaling on the scorers' lag, and GPU scheduling in the gpu overlay. The overlays
 * are rendered with {@code kubectl kustomize} where kubectl exists.
 */
class K8sManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path K8S = Path.of("k8s");
    private static final Map<String, Class<?>> KINDS = Map.of("ConfigMap", ConfigMap.class, "Service", Service.class,
            "ServiceAccount", ServiceAccount.class, "Secret", Secret.class, "StatefulSet", StatefulSet.class,
            "Deployment", Deployment.class, "PodDisruptionBudget", PodDisruptionBudget.class);

    private static List<JsonNode> documents(String yaml) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (values.hasNext()) {
                JsonNode doc = (JsonNode) values.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static List<JsonNode> file(String... path) throws Exception {
        return documents(Files.readString(K8S.resolve(Path.of("", path)), StandardCharsets.UTF_8));
    }

    /** {@code doc} as its kind's model class; a field the API does not know fails the test, naming where. */
    private static <T> T strict(JsonNode doc, Class<T> type) throws Exception {
        T value = YAML.treeToValue(doc, type);
        unknownFields(value, doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText());
        return value;
    }

    private static void unknownFields(Object value, String where) throws Exception {
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.")) {
            if (value instanceof Collection<?> items) {
                int i = 0;
                for (Object item : items) {
                    unknownFields(item, where + "[" + i++ + "]");
                }
            } else if (value instanceof Map<?, ?> map) {
                for (var e : map.entrySet()) {
                    unknownFields(e.getValue(), where + "." + e.getKey());
                }
            }
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class || value instanceof Quantity) {
                continue;
            }
            Object field = getter.invoke(value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    fail("%s: fields the Kubernetes API does not have: %s", where, extra.keySet());
                }
            } else {
                unknownFields(field, where + "." + getter.getName().substring(3));
            }
        }
    }

    private static <T> T only(List<JsonNode> docs, String kind, Class<T> type) throws Exception {
        List<JsonNode> matching = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(matching).as("one %s", kind).hasSize(1);
        return strict(matching.get(0), type);
    }

    private static List<JsonNode> base() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        for (String f : List.of("serviceaccount.yaml", "configmap.yaml", "trainer.yaml", "scorer.yaml")) {
            docs.addAll(file("base", f));
        }
        return docs;
    }

    @Test
    void shouldReadEveryManifestIntoTheKubernetesApiClassesWithoutUnknownFields() throws Exception {
        List<JsonNode> docs = base();
        docs.addAll(file("examples", "secrets.yaml"));
        int checked = 0;
        for (JsonNode doc : docs) {
            Class<?> type = KINDS.get(doc.path("kind").asText());
            if (type != null) {
                strict(doc, type);
                checked++;
            }
        }
        strict(file("overlays", "gpu", "scorer-gpu.yaml").get(0), Deployment.class);
        assertThat(checked).isEqualTo(10);
    }

    @Test
    void shouldMeetTheRestrictedPodSecurityProfileAndRunBothRolesAsAPlatformTeamExpects() throws Exception {
        List<JsonNode> docs = base();
        StatefulSet trainer = only(docs, "StatefulSet", StatefulSet.class);
        Deployment scorer = only(docs, "Deployment", Deployment.class);

        assertThat(trainer.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(trainer.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName())
                .containsExactly("state");
        checkPod(trainer.getSpec().getTemplate(), TrainerRole.CLOSE_TIMEOUT.toSeconds());
        checkPod(scorer.getSpec().getTemplate(), ScorerRole.CLOSE_TIMEOUT.toSeconds());

        List<PodDisruptionBudget> budgets = new ArrayList<>();
        for (JsonNode doc : docs) {
            if (doc.path("kind").asText().equals("PodDisruptionBudget")) {
                budgets.add(strict(doc, PodDisruptionBudget.class));
            }
        }
        assertThat(budgets).extracting(b -> b.getSpec().getSelector().getMatchLabels())
                .containsExactlyInAnyOrder(trainer.getSpec().getSelector().getMatchLabels(),
                        scorer.getSpec().getSelector().getMatchLabels());
    }

    private static void checkPod(PodTemplateSpec template, long closeTimeoutSeconds) throws Exception {
        PodSpec pod = template.getSpec();
        String name = template.getMetadata().getLabels().get("app.kubernetes.io/name");
        assertThat(pod.getTerminationGracePeriodSeconds()).as("%s grace period", name)
                .isGreaterThan(closeTimeoutSeconds);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(template.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/metrics");
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath())
                .contains("/var/lib/rewardstream", "/tmp");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        Map<String, EnvVar> env = new java.util.HashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e));
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get("KAFKA_MAIN_CONSUMER_GROUP_INSTANCE_ID").getValue()).isEqualTo("$(POD_NAME)");
        Map<String, Secret> secrets = new java.util.HashMap<>();
        for (JsonNode doc : file("examples", "secrets.yaml")) {
            if (doc.path("kind").asText().equals("Secret")) {
                Secret s = strict(doc, Secret.class);
                secrets.put(s.getMetadata().getName(), s);
            }
        }
        List<String> fromSecrets = new ArrayList<>();
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                assertThat(secrets).as("the example Secret %s", ref.getName()).containsKey(ref.getName());
                assertThat(secrets.get(ref.getName()).getStringData()).containsKey(ref.getKey());
                fromSecrets.add(e.getName());
            }
        }
        assertThat(fromSecrets).contains("KAFKA_SASL_JAAS_CONFIG", "REWARDSTREAM_REGISTRY_BASIC_AUTH_USER_INFO");
    }

    @Test
    void shouldScaleTheScorersOnTheirLagOnTheResponsesTopic() throws Exception {
        JsonNode scaled = file("components", "keda", "scaledobject.yaml").get(0);
        Deployment scorer = only(base(), "Deployment", Deployment.class);
        String properties = only(base(), "ConfigMap", ConfigMap.class).getData().get("rewardstream.properties");
        int partitions = Integer.parseInt(properties.lines().filter(l -> l.startsWith("topics.partitions="))
                .findFirst().orElseThrow().substring("topics.partitions=".length()));

        assertThat(scaled.path("apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
        assertThat(scaled.at("/spec/scaleTargetRef/name").asText()).isEqualTo(scorer.getMetadata().getName());
        assertThat(scaled.at("/spec/maxReplicaCount").asInt()).isBetween(1, partitions);
        JsonNode trigger = scaled.at("/spec/triggers/0");
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        assertThat(trigger.at("/metadata/topic").asText()).isEqualTo(Topics.defaults().responses());
        assertThat(trigger.at("/metadata/consumerGroup").asText())
                .isEqualTo(ConfigKeys.DEFAULTS.get(ConfigKeys.SCORING_APPLICATION_ID));
        assertThat(Integer.parseInt(trigger.at("/metadata/lagThreshold").asText())).isPositive();
    }

    @Test
    void shouldRenderTheCpuAndGpuOverlaysWithKubectlKustomize() throws Exception {
        File kubectl = new File("/usr/bin/kubectl");
        assumeTrue(kubectl.canExecute(), "kubectl is not installed; the overlays are not rendered (the base and the"
                + " patches are still read strictly by the other tests)");
        for (String overlay : List.of("cpu", "gpu")) {
            Process p = new ProcessBuilder(kubectl.getPath(), "kustomize", K8S.resolve("overlays").resolve(overlay)
                    .toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            List<JsonNode> docs = documents(out);
            for (JsonNode doc : docs) {
                Class<?> type = KINDS.get(doc.path("kind").asText());
                assertThat(type != null || doc.path("kind").asText().equals("ScaledObject"))
                        .as("a known kind: %s", doc.path("kind")).isTrue();
                if (type != null) {
                    strict(doc, type);
                }
            }
            Deployment scorer = only(docs, "Deployment", Deployment.class);
            Container c = scorer.getSpec().getTemplate().getSpec().getContainers().get(0);
            String device = c.getEnv().stream().filter(e -> e.getName().equals("REWARDSTREAM_SCORING_DEVICE"))
                    .findFirst().orElseThrow().getValue();
            if (overlay.equals("gpu")) {
                assertThat(device).isEqualTo("cuda:0");
                assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
                assertThat(c.getImage()).isEqualTo("rewardstream:dev-cuda");
                assertThat(scorer.getSpec().getTemplate().getSpec().getTolerations())
                        .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
            } else {
                assertThat(device).isEqualTo("cpu");
                assertThat(c.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
                assertThat(c.getImage()).isEqualTo("rewardstream:dev");
            }
            assertThat(docs).anySatisfy(d -> assertThat(d.path("kind").asText()).isEqualTo("ScaledObject"));
        }
    }
}
