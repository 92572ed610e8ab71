package no.postbud.conformance;

import no.digipost.api.client.BrokerId;
import no.digipost.api.client.DigipostClient;
import no.digipost.api.client.DigipostClientConfig;
import no.digipost.api.client.SenderId;
import no.digipost.api.client.security.Signer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The official client, configured only as a Digipost customer would: base URL, broker id and key.
 * The pytest (tests/integration/test_digipost_java_conformance.py) passes them as system properties.
 */
final class Postbud {

    static final SenderId SENDER = SenderId.of(Long.parseLong(required("postbud.brokerId")));
    static final DigipostClient CLIENT = client();

    private Postbud() {
    }

    private static DigipostClient client() {
        DigipostClientConfig config = DigipostClientConfig.newConfiguration()
                .digipostApiUri(URI.create(required("postbud.url")))
                .build();
        return new DigipostClient(config, BrokerId.of(SENDER.value()), signer());
    }

    static Signer signer() {
        try (InputStream keystore = Files.newInputStream(Path.of(required("postbud.keystore")))) {
            return Signer.usingKeyFromPKCS12KeyStore(keystore, required("postbud.keystorePassword"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (run through the pytest)");
        }
        return value;
    }
}
