package no.postbud.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The recipient's side, which the Digipost API has no call for: Ola signs in to Postbud's sandbox web
 * inbox and answers a share-documents request with one of his letters, as a person would.
 */
final class SandboxInbox {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager())
            .build();
    private final URI root;

    SandboxInbox(URI postbudBase) {
        this.root = URI.create(postbudBase.getScheme() + "://" + postbudBase.getAuthority());
    }

    void signInAs(String name) {
        String page = get("/inbox/sign-in");
        Matcher person = Pattern.compile("name=\"recipient_id\" value=\"([^\"]+)\">\\s*<input type=\"hidden\" name=\"next\""
                + "[^>]*>\\s*<button[^>]*aria-label=\"[^\"]*" + Pattern.quote(name) + "\"").matcher(page);
        if (!person.find()) {
            throw new IllegalStateException(name + " is not on the sandbox sign-in page");
        }
        post("/inbox/sign-in", "csrf_token", first(CSRF, page), "recipient_id", person.group(1), "next", "/inbox/");
    }

    /** Shares the reader's letter {@code sharedSubject} in answer to the (newest) request {@code subject}. */
    void shareInAnswerTo(String subject, String sharedSubject) {
        String letter = letterPath(subject);
        String page = get(letter);
        Pattern shareable = Pattern.compile("name=\"document\" value=\"([^\"]+)\"[^>]*>\\s*<label[^>]*>\\s*"
                + Pattern.quote(sharedSubject) + "\\s*<");
        post(letter + "/share", "csrf_token", first(CSRF, page), "document", first(shareable, page));
    }

    /** Withdraws the sharing the reader gave in answer to the (newest) request with this subject. */
    void withdrawSharingOf(String subject) {
        String letter = letterPath(subject);
        post(letter + "/withdraw", "csrf_token", first(CSRF, get(letter)));
    }

    private String letterPath(String subject) {
        Matcher letter = Pattern.compile("href=\"(/inbox/letters/[0-9a-f-]+)\">\\s*<span class=\"letter__sender\">[^<]*</span>"
                + "\\s*<span class=\"letter__subject\">\\s*" + Pattern.quote(subject) + "\\s*</span>").matcher(get("/inbox/"));
        if (!letter.find()) {
            throw new IllegalStateException("no letter \"" + subject + "\" on the first page of the inbox");
        }
        return letter.group(1);
    }

    private String get(String path) {
        return send(HttpRequest.newBuilder(root.resolve(path)).GET().build(), 200);
    }

    private void post(String path, String... namesAndValues) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.append(i == 0 ? "" : "&").append(namesAndValues[i]).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], UTF_8));
        }
        send(HttpRequest.newBuilder(root.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build(), 303);
    }

    private String send(HttpRequest request, int expectedStatus) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException(request.method() + " " + request.uri() + ": " + response.statusCode()
                        + "\n" + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String first(Pattern pattern, String page) {
        Matcher match = pattern.matcher(page);
        if (!match.find()) {
            throw new IllegalStateException("no " + pattern + " on the page");
        }
        return match.group(1);
    }
}
