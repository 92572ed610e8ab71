package no.postbud.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A pass-through HTTP/1.1 proxy in front of Postbud that can change a response body on its way
 * back, to show that the client checks what Postbud signs. Raw sockets, because the JDK's own HTTP
 * server replaces the {@code Date} header, which is part of the signature.
 */
final class TamperingProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP =
            Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive");

    private final ServerSocket server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final Thread acceptor;
    private volatile UnaryOperator<byte[]> tamper = UnaryOperator.identity();

    TamperingProxy(URI postbudBase) throws IOException {
        this.target = URI.create(postbudBase.getScheme() + "://" + postbudBase.getAuthority());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::serve, "tampering-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The client's base URL: this proxy, with the path of Postbud's base URL. */
    URI baseUrl(URI postbudBase) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + postbudBase.getPath());
    }

    void tamperBodies(UnaryOperator<byte[]> change) {
        this.tamper = change;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                forward(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
            } catch (IOException | InterruptedException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void forward(InputStream in, OutputStream out) throws IOException, InterruptedException {
        String[] requestLine = readLine(in).split(" ");
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(requestLine[1]));
        int length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            String name = line.substring(0, line.indexOf(':')).trim();
            String value = line.substring(line.indexOf(':') + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(value);
            } else if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                request.header(name, value);
            }
        }
        request.method(requestLine[0], HttpRequest.BodyPublishers.ofByteArray(in.readNBytes(length)));
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());

        byte[] body = tamper.apply(response.body());
        StringBuilder head = new StringBuilder("HTTP/1.1 " + response.statusCode() + " X\r\n");
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n"));
            }
        });
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
