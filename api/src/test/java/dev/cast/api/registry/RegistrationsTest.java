package dev.cast.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.errors.ApiException;
import org.junit.jupiter.api.Test;

class RegistrationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    return Registrations.parse(JSON, text.replace('\'', '"'));
  }

  private static void refused(String body, String... details) {
    var thrown = assertThatThrownBy(() -> Registrations.catalog(json(body)));
    thrown.isInstanceOfSatisfying(
        ApiException.class,
        e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.type()).isEqualTo("INVALID_REGISTRATION");
        });
    for (String detail : details) {
      thrown.hasMessageContaining(detail);
    }
  }

  private static String with(String service) {
    return "{'Node': 'db1', 'Address': '10.0.0.9', 'Service': {" + service + "}}";
  }

  @Test
  void readsConsulsCatalogRegistration() {
    ExternalService s =
        Registrations.catalog(
            json(
                "{'Node': 'db1', 'Address': '10.0.0.9', 'Datacenter': 'dc1', 'NodeMeta': null,"
                    + " 'TaggedAddresses': null, 'Service': {'ID': 'pg-1', 'Service': 'postgres',"
                    + " 'Tags': ['primary'], 'Port': 5432, 'Meta': {'version': '16'},"
                    + " 'Weights': {'Passing': 1, 'Warning': 1}}, 'Check': null}"));

    assertThat(s.node()).isEqualTo("db1");
    assertThat(s.nodeAddress()).isEqualTo("10.0.0.9");
    assertThat(s.id()).isEqualTo("pg-1");
    assertThat(s.service()).isEqualTo("postgres");
    assertThat(s.address()).isEmpty();
    assertThat(s.port()).isEqualTo(5432);
    assertThat(s.tags()).containsExactly("primary");
    assertThat(s.meta()).containsEntry("version", "16");
  }

  @Test
  void theServiceIdDefaultsToItsName() {
    assertThat(Registrations.catalog(json(with("'Service': 'redis'"))).id()).isEqualTo("redis");
  }

  @Test
  void refusesWhatIsMissing() {
    refused("{'Address': '10.0.0.9', 'Service': {'Service': 'x'}}", "Node is missing");
    refused("{'Node': 'db1', 'Service': {'Service': 'x'}}", "Address is missing");
    refused("{'Node': 'db1', 'Address': '10.0.0.9'}", "Service is missing");
    refused(with("'Port': 1"), "Service.Service is missing");
    refused("[]", "must be a JSON object");
  }

  @Test
  void refusesBadPorts() {
    refused(with("'Service': 'x', 'Port': 70000"), "Service.Port 70000 is out of range");
    refused(with("'Service': 'x', 'Port': -1"), "out of range");
    refused(with("'Service': 'x', 'Port': '80'"), "Service.Port must be a whole number");
    refused(with("'Service': 'x', 'Port': 80.5"), "whole number");
  }

  @Test
  void refusesControlCharactersAndOversizeFields() {
    refused(with("'Service': 'x', 'Tags': ['a\\u0007b']"), "Service.Tags[0]", "control character");
    refused(with("'Service': 'x', 'Meta': {'k': 'v\\n'}"), "Service.Meta.k", "control character");
    refused(with("'Service': '" + "s".repeat(256) + "'"), "at most 255");
    refused(with("'Service': 'x', 'Meta': {'k': '" + "v".repeat(513) + "'}"), "at most 512");
    refused(with("'Service': 'has space'"), "may not have whitespace");
    refused(with("'Service': 'a:b'"), "may only have letters");
    refused(with("'Service': 'x', 'ID': 'a/b'"), "Service.ID", "'/'");
    refused(with("'Service': 'x', 'Meta': {'consul-x': 'v'}"), "reserved");
    refused(with("'Service': 'x', 'Meta': {'bad key': 'v'}"), "letters, digits");
    refused(with("'Service': 'x', 'Tags': 'web'"), "list of strings");
  }

  @Test
  void refusesCheckDefinitions() {
    refused(
        "{'Node': 'db1', 'Address': '10.0.0.9', 'Service': {'Service': 'x'},"
            + " 'Check': {'CheckID': 'c', 'HTTP': 'http://x/'}}",
        "Cast runs no checks");
    refused(
        "{'Node': 'db1', 'Address': '10.0.0.9', 'Service': {'Service': 'x'},"
            + " 'Checks': [{'TTL': '10s'}]}",
        "Cast runs no checks");
    assertThatThrownBy(
            () ->
                Registrations.agent(
                    json("{'Name': 'x', 'Check': {'Args': ['true'], 'Interval': '10s'}}"),
                    "cast-api",
                    "127.0.0.1"))
        .hasMessageContaining("Cast runs no checks");
  }

  @Test
  void refusesUnknownFieldsAndOtherDatacenters() {
    refused(with("'Service': 'x', 'Colour': 'blue'"), "unknown field \"Colour\"");
    refused(
        "{'Node': 'db1', 'Address': 'a', 'Datacenter': 'eu', 'Service': {'Service': 'x'}}",
        "No path to datacenter");
    refused(with("'Service': 'x', 'Kind': 'connect-proxy'"), "Service.Kind");
  }

  @Test
  void refusesBodiesThatAreNotJson() {
    assertThatThrownBy(() -> Registrations.parse(JSON, "{nope")).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> Registrations.parse(JSON, "")).hasMessageContaining("empty");
  }

  @Test
  void readsTheAgentShapeOntoTheApisNode() {
    ExternalService s =
        Registrations.agent(
            json(
                "{'ID': 'redis-1', 'Name': 'redis', 'Tags': ['cache'], 'Port': 6379,"
                    + " 'Address': '10.0.0.7', 'EnableTagOverride': false}"),
            "cast-api",
            "192.168.1.2");

    assertThat(s.node()).isEqualTo("cast-api");
    assertThat(s.nodeAddress()).isEqualTo("192.168.1.2");
    assertThat(s.id()).isEqualTo("redis-1");
    assertThat(s.address()).isEqualTo("10.0.0.7");
  }

  @Test
  void aDeregistrationWithoutServiceIdIsTheWholeNode() {
    assertThat(Registrations.deregistration(json("{'Node': 'db1'}")))
        .isEqualTo(new Registrations.Deregistration("db1", null, false));
    assertThat(Registrations.deregistration(json("{'Node': 'db1', 'ServiceID': 'pg'}")))
        .isEqualTo(new Registrations.Deregistration("db1", "pg", false));
    assertThat(Registrations.deregistration(json("{'Node': 'db1', 'CheckID': 'c'}")).checkOnly())
        .isTrue();
  }
}
