package dev.ponte.connectors.email;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.ponte.spi.Connector;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.BadConfig;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.RemoteRequest;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * email passes the connector test kit against GreenMail (SMTP with a login, IMAP) behind the {@link SmtpStandIn}: a
 * message command is sent once, retried on 451 and 421 replies, dead-lettered on a 550 for the recipient, recorded as
 * is in sandbox mode (the same MIME text GreenMail received); health follows the stand-in's reachability.
 */
class EmailAcceptanceIT extends ConnectorAcceptanceTest {

    private GreenMail mail;
    private SmtpStandIn standIn;
    private int imapPort; // kept: the kit reads goodConfig() again after the servers stopped

    @BeforeEach
    void startServers() throws Exception {
        mail = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP, ServerSetupTest.IMAP}))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(EmailSinkIT.FROM, EmailSinkIT.LOGIN,
                        EmailSinkIT.PASSWORD).withUser(Messages.PATIENT, "ana", "ana-pw"));
        mail.start();
        standIn = new SmtpStandIn(mail.getSmtp().getPort());
        imapPort = mail.getImap().getPort();
    }

    @AfterEach
    void stopServers() throws Exception {
        standIn.close();
        mail.stop();
    }

    @Override
    protected Connector connector() {
        return new EmailConnector();
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("host", "127.0.0.1");
        c.put("port", String.valueOf(standIn.port()));
        c.put("security", "none");
        c.put("username", EmailSinkIT.LOGIN);
        c.put("password", EmailSinkIT.PASSWORD);
        c.put("from", EmailSinkIT.FROM);
        c.put("from-name", "Clínica Bella Pele");
        c.put("timeout", "3s");
        c.put("imap-host", "127.0.0.1");
        c.put("imap-port", String.valueOf(imapPort));
        c.put("imap-security", "none");
        c.put("imap-username", EmailSinkIT.LOGIN);
        c.put("imap-password", EmailSinkIT.PASSWORD);
        c.put("imap-poll-interval", "1s");
        return c;
    }

    @Override
    protected List<BadConfig> badConfigs(Path workDir) {
        return List.of(
                new BadConfig("values of the right type outside their validators", with(Map.of(
                        "host", "smtp://smtp.gmail.com:587", "from", "Clínica <agenda@clinica.example>",
                        "reply-to", "respostas", "messages-per-second", "0", "timeout", "1h",
                        "imap-poll-interval", "100ms")),
                        Set.of("host", "from", "reply-to", "messages-per-second", "timeout", "imap-poll-interval")),
                new BadConfig("a username without its password", without("password"), Set.of("password")),
                new BadConfig("an IMAP mailbox without its login", without("imap-username"), Set.of("imap-host")));
    }

    private Map<String, String> with(Map<String, String> changes) {
        Map<String, String> c = new LinkedHashMap<>(goodConfig(work));
        c.putAll(changes);
        return c;
    }

    private Map<String, String> without(String key) {
        Map<String, String> c = new LinkedHashMap<>(goodConfig(work));
        c.remove(key);
        return c;
    }

    @Override
    protected OutboundCommand sampleCommand() {
        return Messages.reminder();
    }

    @Override
    protected void remoteAccepts() {
        standIn.reset();
    }

    @Override
    protected void remoteFailsTransiently(int times) {
        for (int i = 0; i < times; i++) {
            standIn.failNext(i % 2 == 0 ? "451 4.7.1 Greylisted, try again later"
                    : "421 4.3.2 Service not available, closing transmission channel");
        }
    }

    @Override
    protected void remoteRejects() {
        standIn.refuseAll("550 5.1.1 <" + Messages.PATIENT + ">: Recipient address rejected: User unknown");
    }

    @Override
    protected int externalEffects() {
        return mail.getReceivedMessages().length;
    }

    @Override
    protected List<RemoteRequest> remoteRequests() throws Exception {
        List<RemoteRequest> out = new ArrayList<>();
        for (String refused : standIn.refused()) {
            out.add(new RemoteRequest("SMTP", refused, null));
        }
        for (MimeMessage m : mail.getReceivedMessages()) {
            out.add(new RemoteRequest("SMTP", ((InternetAddress) m.getAllRecipients()[0]).getAddress(),
                    AsSent.text(m)));
        }
        return out;
    }

    @Override
    protected void resetRemote() throws Exception {
        standIn.reset();
        mail.purgeEmailFromAllMailboxes();
    }

    @Override
    protected void remoteUnreachable() throws Exception {
        standIn.stop();
    }

    @Override
    protected void remoteReachable() throws Exception {
        standIn.start();
    }
}
