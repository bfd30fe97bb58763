package dev.ponte.connectors.sms;

import dev.ponte.spi.Connector;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.BadConfig;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.RemoteRequest;
import dev.ponte.testkit.SampleCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * sms with provider=smpp passes the connector test kit against {@link SmscStandIn}: a message command is submitted
 * once, retried on ESME_RTHROTTLED, dead-lettered on ESME_RINVDSTADR, recorded as the very same submit_sm in
 * sandbox mode; health follows the bind (DOWN while the SMSC is stopped, UP once the reconnector bound again).
 */
class SmsAcceptanceIT extends ConnectorAcceptanceTest {

    private SmscStandIn smsc;

    @BeforeEach
    void startStandIn() throws Exception {
        smsc = new SmscStandIn();
    }

    @AfterEach
    void stopStandIn() {
        smsc.close();
    }

    @Override
    protected Connector connector() {
        return new SmsConnector();
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        return smsc.config();
    }

    @Override
    protected List<BadConfig> badConfigs(Path workDir) {
        return List.of(
                new BadConfig("values of the right type outside their validators", with(Map.of(
                        "system-id", "a-system-id-longer-than-15", "password", "longer-than-8",
                        "from", "Clinica Bela Estetica", "messages-per-second", "0",
                        "reconnect-delay", "10ms", "enquire-link-interval", "1h")),
                        Set.of("system-id", "password", "from", "messages-per-second", "reconnect-delay",
                                "enquire-link-interval")),
                new BadConfig("provider=smpp without its SMSC and credentials", without("host", "system-id",
                        "password"), Set.of("host", "system-id", "password")));
    }

    private Map<String, String> with(Map<String, String> changes) {
        Map<String, String> c = new LinkedHashMap<>(smsc.config());
        c.putAll(changes);
        return c;
    }

    private Map<String, String> without(String... keys) {
        Map<String, String> c = new LinkedHashMap<>(smsc.config());
        for (String k : keys) {
            c.remove(k);
        }
        return c;
    }

    @Override
    protected OutboundCommand sampleCommand() {
        return Messages.reminder();
    }

    @Override
    protected void remoteAccepts() {
        smsc.acceptAll();
    }

    @Override
    protected void remoteFailsTransiently(int times) {
        smsc.throttleNext(times);
    }

    @Override
    protected void remoteRejects() {
        smsc.rejectPermanently(SampleCommands.PATIENT_PHONE);
    }

    @Override
    protected int externalEffects() {
        return smsc.accepted();
    }

    @Override
    protected List<RemoteRequest> remoteRequests() {
        return smsc.requests().stream().map(s -> new RemoteRequest(SubmitPdu.METHOD, s.destination(), s.describe()))
                .toList();
    }

    @Override
    protected void resetRemote() {
        smsc.reset();
    }

    @Override
    protected void remoteUnreachable() {
        smsc.stop();
    }

    @Override
    protected void remoteReachable() throws Exception {
        smsc.start();
    }
}
