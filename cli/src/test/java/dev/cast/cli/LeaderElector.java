package dev.cast.cli;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.kv.model.GetValue;
import com.ecwid.consul.v1.kv.model.PutParams;
import com.ecwid.consul.v1.session.model.NewSession;
import com.ecwid.consul.v1.session.model.Session;

/**
 * Consul's leader-election recipe, as an app of its own would run it against Cast's registry: a
 * session with a TTL, renewed while the process lives; the lock on a key taken with {@code
 * ?acquire}; while another holds it, a blocking read of the key until it is free. Prints {@code
 * LEADER <name>} once it leads. Args: port, token, name, key.
 */
public final class LeaderElector {
  private LeaderElector() {}

  public static void main(String[] args) throws Exception {
    ConsulClient consul = new ConsulClient("127.0.0.1", Integer.parseInt(args[0]));
    String token = args[1];
    String name = args[2];
    String key = args[3];
    NewSession spec = new NewSession();
    spec.setName("elector-" + name);
    spec.setTtl("10s");
    spec.setLockDelay(1); // seconds, as Consul reads a small number
    spec.setBehavior(Session.Behavior.RELEASE);
    String session = consul.sessionCreate(spec, QueryParams.DEFAULT, token).getValue();
    Thread renewer =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(3_000);
                  consul.renewSession(session, QueryParams.DEFAULT, token);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  System.out.println("renew failed: " + e.getMessage());
                }
              }
            });
    renewer.setDaemon(true);
    renewer.start();
    long index = 0;
    while (true) {
      PutParams acquire = new PutParams();
      acquire.setAcquireSession(session);
      if (consul.setKVValue(key, name, token, acquire).getValue()) {
        System.out.println("LEADER " + name);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      var held = consul.getKVValue(key, token, new QueryParams(5, index));
      GetValue value = held.getValue();
      index = held.getConsulIndex() == null ? 0 : held.getConsulIndex();
      if (value == null || value.getSession() == null) {
        Thread.sleep(200); // free, maybe in its lock-delay: try again shortly
      }
    }
  }
}
