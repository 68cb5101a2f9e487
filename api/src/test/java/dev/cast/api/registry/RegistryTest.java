package dev.cast.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.cast.api.db.Database;
import dev.cast.api.registry.KvOp.Verb;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's rules, as Consul has them: transactions, locks, lock-delay, sessions, indexes. */
class RegistryTest {
  @TempDir Path dir;
  LifecycleEnvironment lifecycle;
  Registry registry;

  @BeforeEach
  void open() throws Exception {
    registry = start();
  }

  private Registry start() throws Exception {
    lifecycle = new LifecycleEnvironment(new MetricRegistry());
    Jdbi jdbi = Database.open(dir.resolve("catalog.db"), lifecycle);
    Registry started = new Registry(jdbi, new Blocking());
    started.start();
    return started;
  }

  @AfterEach
  void stop() throws Exception {
    registry.stop();
    for (var managed : lifecycle.getManagedObjects()) {
      ((JettyManaged) managed).getManaged().stop();
    }
  }

  private static KvOp op(Verb verb, String key, String value) {
    return new KvOp(
        verb, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), null, null, null);
  }

  private Registry.TxnOutcome run(KvOp... ops) throws Exception {
    return registry.txn(List.of(ops)).get(10, TimeUnit.SECONDS);
  }

  private String value(String key) {
    KvEntry entry = registry.get(key).body();
    return entry == null ? null : new String(entry.value(), StandardCharsets.UTF_8);
  }

  @Test
  void aTransactionAppliesAllOfItsOperationsOrNone() throws Exception {
    run(op(Verb.SET, "a", "1"));
    long before = registry.index();
    Registry.TxnOutcome failed =
        run(
            op(Verb.SET, "b", "2"),
            op(Verb.DELETE, "a", null),
            op(Verb.CHECK_NOT_EXISTS, "a", null));
    // check-not-exists sees the delete before it: it passes.
    assertThat(failed.ok()).isTrue();
    Registry.TxnOutcome refused =
        run(op(Verb.SET, "c", "3"), op(Verb.GET, "missing", null), op(Verb.SET, "d", "4"));
    assertThat(refused.ok()).isFalse();
    assertThat(refused.errors().get(0).opIndex()).isEqualTo(1);
    assertThat(value("c")).isNull();
    assertThat(value("d")).isNull();
    assertThat(value("b")).isEqualTo("2");
    assertThat(value("a")).isNull();
    assertThat(registry.index()).isGreaterThan(before);
  }

  @Test
  void casComparesTheModifyIndexAndZeroMeansCreateOnly() throws Exception {
    KvOp create = new KvOp(Verb.CAS, "k", "v".getBytes(), null, 0L, null);
    assertThat(run(create).ok()).isTrue();
    assertThat(run(create).ok()).isFalse();
    long modified = registry.get("k").body().modifyIndex();
    assertThat(run(new KvOp(Verb.CAS, "k", "w".getBytes(), 7L, modified + 5, null)).ok()).isFalse();
    assertThat(run(new KvOp(Verb.CAS, "k", "w".getBytes(), 7L, modified, null)).ok()).isTrue();
    KvEntry now = registry.get("k").body();
    assertThat(now.flags()).isEqualTo(7);
    assertThat(now.createIndex()).isEqualTo(modified);
    assertThat(now.modifyIndex()).isGreaterThan(modified);
    assertThat(run(new KvOp(Verb.DELETE_CAS, "k", null, null, modified, null)).ok()).isFalse();
    assertThat(run(new KvOp(Verb.DELETE_CAS, "k", null, null, now.modifyIndex(), null)).ok())
        .isTrue();
    assertThat(value("k")).isNull();
  }

  @Test
  void aLockIsHeldByOneSessionAndEndingItReleasesTheKeyIntoLockDelay() throws Exception {
    RegistrySession a = registry.createSession("a", "a", null, 0, "release", 500).get();
    RegistrySession b = registry.createSession("b", "b", null, 0, "release", 0).get();
    KvOp lockA = new KvOp(Verb.LOCK, "leader", "a".getBytes(), null, null, a.id());
    KvOp lockB = new KvOp(Verb.LOCK, "leader", "b".getBytes(), null, null, b.id());
    assertThat(run(lockA).ok()).isTrue();
    assertThat(run(lockB).ok()).isFalse();
    assertThat(registry.get("leader").body().lockIndex()).isEqualTo(1);
    assertThat(registry.destroySession(a.id()).get()).isTrue();
    assertThat(registry.get("leader").body().session()).isNull();
    // a's lock-delay (500 ms) keeps b out for a moment, then lets it in.
    assertThat(run(lockB).ok()).isFalse();
    Thread.sleep(600);
    assertThat(run(lockB).ok()).isTrue();
    assertThat(registry.get("leader").body().lockIndex()).isEqualTo(2);
    Registry.TxnOutcome unknown =
        run(new KvOp(Verb.LOCK, "other", "x".getBytes(), null, null, "no-such-session"));
    assertThat(unknown.errors().get(0).invalidSession()).isTrue();
  }

  @Test
  void aDeleteSessionTakesItsKeysWithItWhenItsTtlPasses() throws Exception {
    RegistrySession owner = registry.createSession("o", "o", null, 1_000, "delete", 0).get();
    assertThat(run(new KvOp(Verb.LOCK, "instances/1", "x".getBytes(), null, null, owner.id())).ok())
        .isTrue();
    long index = registry.range("instances/").index();
    CompletionStage<Blocking.Answer<List<KvEntry>>> watch =
        registry
            .blocking()
            .await(
                index,
                Duration.ofSeconds(20),
                () -> registry.range("instances/"),
                Blocking.prefix("instances/"));
    List<KvEntry> after = watch.toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    assertThat(after).isEmpty();
    assertThat(registry.session(owner.id()).body()).isEmpty();
  }

  @Test
  void everythingCommittedIsThereAfterARestartAndTheIndexGoesOn() throws Exception {
    List<CompletableFuture<Registry.TxnOutcome>> writes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      writes.add(registry.txn(List.of(op(Verb.SET, "k/" + i, "v" + i))));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    RegistrySession session = registry.createSession("s", "s", null, 60_000, "release", 0).get();
    long index = registry.index();
    stop();
    registry = start();
    assertThat(registry.range("k/").body()).hasSize(500);
    assertThat(value("k/499")).isEqualTo("v499");
    assertThat(registry.session(session.id()).body()).isPresent();
    assertThat(registry.index()).isGreaterThanOrEqualTo(index);
    run(op(Verb.SET, "next", "x"));
    assertThat(registry.get("next").body().modifyIndex()).isGreaterThan(index);
  }

  @Test
  void aBlockedReadIsAnsweredByTheWriteToItsKeyAndNotByOthers() throws Exception {
    run(op(Verb.SET, "watched", "1"));
    long index = registry.get("watched").index();
    CompletableFuture<Blocking.Answer<KvEntry>> blocked =
        registry
            .blocking()
            .await(
                index,
                Duration.ofSeconds(30),
                () -> registry.get("watched"),
                Blocking.key("watched"))
            .toCompletableFuture();
    run(op(Verb.SET, "unrelated", "x"));
    Thread.sleep(200);
    assertThat(blocked).isNotDone();
    assertThat(registry.blocking().waiting()).isEqualTo(1);
    run(op(Verb.SET, "watched", "2"));
    Blocking.Answer<KvEntry> answer = blocked.get(5, TimeUnit.SECONDS);
    assertThat(new String(answer.body().value())).isEqualTo("2");
    assertThat(registry.blocking().waiting()).isZero();
  }

  @Test
  void aBlockedReadWithNothingNewAnswersAtItsWaitWithTheSameIndex() throws Exception {
    run(op(Verb.SET, "still", "1"));
    long index = registry.get("still").index();
    long started = System.nanoTime();
    Blocking.Answer<KvEntry> answer =
        registry
            .blocking()
            .await(
                index, Duration.ofMillis(300), () -> registry.get("still"), Blocking.key("still"))
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(answer.index()).isEqualTo(index);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
