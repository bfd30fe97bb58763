package dev.ponte.connectors.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A tiny SMTP server in front of GreenMail, for the reply codes GreenMail does not give: each connection is either
 * passed through to GreenMail byte for byte (the default), or answered by a scripted dialogue (220, EHLO with AUTH
 * PLAIN, AUTH 235, MAIL 250) whose RCPT gets the next scripted reply (451, 550 …), or {@link #refuseAll} replies.
 * Recipients refused by a script are kept ({@link #refused()}). Can be stopped and started again on the same port.
 */
final class SmtpStandIn implements AutoCloseable {

    private final int target;
    private final int port;
    private final ConcurrentLinkedDeque<String> nextRcptReplies = new ConcurrentLinkedDeque<>();
    private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
    private volatile String refuseAll;
    private volatile ServerSocket server;

    /** @param target GreenMail's SMTP port, or -1 to script every connection (RCPT accepted with 250) */
    SmtpStandIn(int target) throws IOException {
        this.target = target;
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
        }
        start();
    }

    int port() {
        return port;
    }

    /** The next {@code replies.length} connections answer RCPT with these replies, one per connection. */
    void failNext(String... replies) {
        nextRcptReplies.addAll(List.of(replies));
    }

    /** Every connection answers RCPT with {@code reply} (e.g. 550), until {@code null}. */
    void refuseAll(String reply) {
        this.refuseAll = reply;
    }

    /** Recipients the scripts refused, in order. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    void reset() {
        refused.clear();
        nextRcptReplies.clear();
        refuseAll = null;
    }

    synchronized void start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        server = s;
        Thread accept = new Thread(() -> accept(s), "smtp-stand-in-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                String reply = refuseAll != null ? refuseAll : nextRcptReplies.poll();
                Thread t = new Thread(() -> serve(client, reply), "smtp-stand-in-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client, String rcptReply) {
        try (client) {
            if (rcptReply == null && target > 0) {
                proxy(client);
            } else {
                script(client, rcptReply == null ? "250 2.1.5 Ok" : rcptReply);
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private void proxy(Socket client) throws IOException {
        try (Socket upstream = new Socket("127.0.0.1", target)) {
            Thread up = new Thread(() -> pipe(client, upstream), "smtp-stand-in-up");
            up.setDaemon(true);
            up.start();
            pipe(upstream, client);
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
        } catch (IOException ignored) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private void script(Socket client, String rcptReply) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
        send(out, "220 stand-in ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String upper = line.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("EHLO")) {
                send(out, "250-stand-in\r\n250-AUTH PLAIN\r\n250 8BITMIME");
            } else if (upper.startsWith("HELO")) {
                send(out, "250 stand-in");
            } else if (upper.equals("AUTH PLAIN")) {
                send(out, "334 ");
                in.readLine();
                send(out, "235 2.7.0 Authentication successful");
            } else if (upper.startsWith("AUTH")) {
                send(out, "235 2.7.0 Authentication successful");
            } else if (upper.startsWith("MAIL")) {
                send(out, "250 2.1.0 Ok");
            } else if (upper.startsWith("RCPT")) {
                if (!rcptReply.startsWith("2")) {
                    refused.add(line.replaceAll("(?i)^RCPT TO:\\s*<?([^>]*)>?.*$", "$1"));
                }
                send(out, rcptReply);
            } else if (upper.equals("DATA")) {
                send(out, "354 End data with <CR><LF>.<CR><LF>");
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    // discarded
                }
                send(out, "250 2.0.0 Ok: queued");
            } else if (upper.startsWith("QUIT")) {
                send(out, "221 2.0.0 Bye");
                return;
            } else if (upper.startsWith("RSET") || upper.startsWith("NOOP")) {
                send(out, "250 2.0.0 Ok");
            } else {
                send(out, "502 5.5.2 Error: command not recognized");
            }
        }
    }

    private static void send(PrintWriter out, String reply) {
        out.print(reply + "\r\n");
        out.flush();
    }
}
