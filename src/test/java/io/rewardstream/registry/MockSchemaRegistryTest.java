package io.rewardstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

    private final MockSchemaRegistry registry = new MockSchemaRegistry();

    private static final Schema V1 = SchemaBuilder.record("Event").namespace("t").fields()
            .requiredString("id").endRecord();
    private static final Schema V2_WITH_DEFAULT = SchemaBuilder.record("Event").namespace("t").fields()
            .requiredString("id").name("score").type().doubleType().doubleDefault(0.0).endRecord();
    private static final Schema V2_REQUIRED = SchemaBuilder.record("Event").namespace("t").fields()
            .requiredString("id").requiredDouble("score").endRecord();

    @Test
    void shouldReturnSameIdWhenRegisteringTwiceAndAcrossSubjects() {
        // When
        int first = registry.register("a-value", V1);
        int again = registry.register("a-value", V1);
        int otherSubject = registry.register("b-value", V1);

        // Then
        assertThat(again).isEqualTo(first);
        assertThat(otherSubject).isEqualTo(first);
        assertThat(registry.latest("a-value").version()).isEqualTo(1);
    }

    @Test
    void shouldAcceptCompatibleEvolutionAsNextVersion() {
        // Given
        registry.register("a-value", V1);

        // When
        int id = registry.register("a-value", V2_WITH_DEFAULT);

        // Then
        RegisteredSchema latest = registry.latest("a-value");
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(id);
        assertThat(registry.lookup("a-value", V1).version()).isEqualTo(1);
    }

    @Test
    void shouldRefuseBackwardIncompatibleSchemaWith409() {
        // Given
        registry.register("a-value", V1);

        // When / Then
        assertThat(registry.isCompatibleWithLatest("a-value", V2_REQUIRED)).isFalse();
        assertThatThrownBy(() -> registry.register("a-value", V2_REQUIRED))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(409));
    }

    @Test
    void shouldAcceptAnyChangeWhenCompatibilityIsNone() {
        // Given
        registry.register("a-value", V1);
        registry.setCompatibility("a-value", "NONE");

        // When
        registry.register("a-value", V2_REQUIRED);

        // Then
        assertThat(registry.latest("a-value").schema()).isEqualTo(V2_REQUIRED);
    }

    @Test
    void shouldReportMissingSubjectSchemaAndIdWithRegistryCodes() {
        // Given
        registry.register("a-value", V1);

        // When / Then
        assertThatThrownBy(() -> registry.latest("missing"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> registry.lookup("a-value", V2_REQUIRED))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> registry.schemaById(99))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> registry.setCompatibility("a-value", "SIDEWAYS"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
    }

    @Test
    void shouldGiveEachScopeItsOwnRegistry() {
        // Given
        MockSchemaRegistry first = MockRegistryScopes.scope("scope-test-1");
        MockSchemaRegistry second = MockRegistryScopes.scope("scope-test-2");

        // When
        first.register("a-value", V1);

        // Then
        assertThat(MockRegistryScopes.scope("scope-test-1")).isSameAs(first);
        assertThatThrownBy(() -> second.latest("a-value")).isInstanceOf(SchemaRegistryException.class);
        MockRegistryScopes.drop("scope-test-1");
        MockRegistryScopes.drop("scope-test-2");
        assertThat(MockRegistryScopes.scope("scope-test-1")).isNotSameAs(first);
        MockRegistryScopes.drop("scope-test-1");
    }
}
