package no.postbud.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A printable A4 PDF: the one the client library ships with (and uses in its own examples). */
final class Pdfs {

    private Pdfs() {
    }

    static byte[] printable() {
        try (InputStream pdf = Pdfs.class.getResourceAsStream("/posten.pdf")) {
            if (pdf == null) {
                throw new IllegalStateException("posten.pdf is not on the classpath");
            }
            return pdf.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
