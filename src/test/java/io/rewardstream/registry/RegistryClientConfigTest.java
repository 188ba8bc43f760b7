package io.rewardstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

    @Test
    void shouldFailNamingTheKeyWhenUrlIsMissing() {
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of()))
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldSelectMockScopeFromMockUrl() {
        // When
        RegistryClientConfig config = RegistryClientConfig.from(Map.of("schema.registry.url", "mock://my-test"));

        // Then
        assertThat(config.isMock()).isTrue();
        assertThat(config.mockScope()).isEqualTo("my-test");
    }

    @Test
    void shouldBuildBasicAuthFromUserInfo() {
        // When
        RegistryClientConfig config = RegistryClientConfig.from(Map.of("schema.registry.url", "http://h:1",
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:s3cret"));

        // Then
        assertThat(config.authorization())
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes()));
    }

    @Test
    void shouldTakeBasicAuthFromUrlAndStripItFromTheUrl() {
        // When
        RegistryClientConfig config = RegistryClientConfig.from(Map.of(
                "schema.registry.url", "http://bob:pw@registry:8081/apis/ccompat/v7/",
                "basic.auth.credentials.source", "URL"));

        // Then
        assertThat(config.urls()).containsExactly(URI.create("http://registry:8081/apis/ccompat/v7"));
        assertThat(config.authorization())
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("bob:pw".getBytes()));
    }

    @Test
    void shouldBuildBearerAuthFromStaticToken() {
        // When
        RegistryClientConfig config = RegistryClientConfig.from(Map.of("schema.registry.url", "http://h:1",
                "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok"));

        // Then
        assertThat(config.authorization()).isEqualTo("Bearer tok");
    }

    @Test
    void shouldFailNamingTheKeyForBadValues() {
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of("schema.registry.url", "http://h:1",
                "basic.auth.credentials.source", "SASL_INHERIT")))
                .hasMessageContaining("basic.auth.credentials.source");
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of("schema.registry.url", "http://h:1",
                "max.retries", "many")))
                .hasMessageContaining("max.retries");
        assertThatThrownBy(() -> SubjectNameStrategy.parse("value.subject.name.strategy", "Bogus"))
                .hasMessageContaining("value.subject.name.strategy");
    }

    @Test
    void shouldAcceptConfluentStrategyClassNames() {
        assertThat(SubjectNameStrategy.parse("k", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"))
                .isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
        assertThat(SubjectNameStrategy.parse("k", "RecordNameStrategy")).isEqualTo(SubjectNameStrategy.RECORD_NAME);
    }

    @Test
    void shouldFailWhenTruststoreCannotBeRead() {
        // Given
        RegistryClientConfig config = RegistryClientConfig.from(Map.of("schema.registry.url", "https://h:1",
                "schema.registry.ssl.truststore.location", "/nonexistent/truststore.jks",
                "schema.registry.ssl.truststore.password", "changeit"));

        // When / Then
        assertThatThrownBy(() -> new RestSchemaRegistryClient(config))
                .hasMessageContaining("schema.registry.ssl.");
    }
}
