package dev.cast.api.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.AddSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Cast's search attributes are registered where missing, and where the server refuses, the log says
 * which commands to run and Cast goes on without them. Against an in-process operator service that
 * keeps attributes in a map, or refuses.
 */
class SearchAttributeSetupTest {
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private Server server;
  private ManagedChannel channel;
  private OperatorServiceStubs stubs;

  /** Keeps attributes per name; refuses additions when {@code refuse} is set. */
  private static final class Operator extends OperatorServiceGrpc.OperatorServiceImplBase {
    final Map<String, IndexedValueType> custom = new LinkedHashMap<>();
    boolean refuse;
    int adds;

    @Override
    public void listSearchAttributes(
        ListSearchAttributesRequest request,
        StreamObserver<ListSearchAttributesResponse> response) {
      response.onNext(
          ListSearchAttributesResponse.newBuilder().putAllCustomAttributes(custom).build());
      response.onCompleted();
    }

    @Override
    public void addSearchAttributes(
        AddSearchAttributesRequest request, StreamObserver<AddSearchAttributesResponse> response) {
      adds++;
      if (refuse) {
        response.onError(
            Status.PERMISSION_DENIED.withDescription("Request unauthorized.").asRuntimeException());
        return;
      }
      custom.putAll(request.getSearchAttributesMap());
      response.onNext(AddSearchAttributesResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  private OperatorServiceStubs serve(Operator operator) throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name).directExecutor().addService(operator).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stubs =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(channel)
                .validateAndBuildWithDefaults());
    Logger logger = (Logger) LoggerFactory.getLogger(SearchAttributeSetup.class);
    log.start();
    logger.addAppender(log);
    return stubs;
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(SearchAttributeSetup.class)).detachAppender(log);
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void registersTheMissingOnesAndKeepsThoseThatExist() throws Exception {
    Operator operator = new Operator();
    operator.custom.put("CastApp", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    operator.custom.put("CastPhase", IndexedValueType.INDEXED_VALUE_TYPE_TEXT);

    Set<String> present = SearchAttributeSetup.ensure(serve(operator), "cast");

    assertThat(present)
        .as("CastPhase exists with another type: left unset, not replaced")
        .containsExactlyInAnyOrder(
            "CastApp", "CastVersion", "CastKind", "CastDeployment", "CastRequestedBy");
    assertThat(operator.custom)
        .containsEntry("CastVersion", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
        .containsEntry("CastPhase", IndexedValueType.INDEXED_VALUE_TYPE_TEXT);
    assertThat(log.list)
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("CastPhase", "not Keyword"));

    // Once all are there, a start adds nothing.
    operator.custom.put("CastPhase", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    int adds = operator.adds;
    assertThat(SearchAttributeSetup.ensure(stubs, "cast")).hasSize(6);
    assertThat(operator.adds).isEqualTo(adds);
  }

  @Test
  void aServerThatRefusesGetsTheCommandsToRunInTheLogAndCastGoesOn() throws Exception {
    Operator operator = new Operator();
    operator.refuse = true;
    operator.custom.put("CastApp", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

    Set<String> present = SearchAttributeSetup.ensure(serve(operator), "cast");

    assertThat(present).containsExactly("CastApp");
    assertThat(log.list).hasSize(1);
    String warning = log.list.get(0).getFormattedMessage();
    assertThat(warning)
        .contains("PERMISSION_DENIED")
        .contains(
            "temporal operator search-attribute create --namespace cast --name CastVersion"
                + " --type Keyword")
        .contains("--name CastPhase --type Keyword")
        .doesNotContain("--name CastApp ");
  }
}
