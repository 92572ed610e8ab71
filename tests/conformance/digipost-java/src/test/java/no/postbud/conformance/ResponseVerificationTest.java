package no.postbud.conformance;

import no.digipost.api.client.BrokerId;
import no.digipost.api.client.DigipostClient;
import no.digipost.api.client.DigipostClientConfig;
import no.digipost.api.client.errorhandling.DigipostClientException;
import no.digipost.api.client.errorhandling.ErrorCode;
import no.digipost.api.client.representations.Identification;
import no.digipost.api.client.representations.IdentificationResultCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every other test passes only if the client accepted Postbud's response signatures. This one shows
 * the check is real: through a proxy the same call passes untouched and is refused once the body changes.
 */
class ResponseVerificationTest {

    @Test
    void the_client_accepts_postbuds_signed_responses_and_refuses_a_changed_one() throws IOException {
        URI postbud = URI.create(Postbud.required("postbud.url"));
        try (TamperingProxy proxy = new TamperingProxy(postbud)) {
            DigipostClient client = new DigipostClient(
                    DigipostClientConfig.newConfiguration().digipostApiUri(proxy.baseUrl(postbud)).build(),
                    BrokerId.of(SENDER.value()), Postbud.signer());
            Identification ola = new Identification(Recipients.MAILBOX_PERSON);

            assertEquals(IdentificationResultCode.DIGIPOST, client.identifyRecipient(ola).getResult());

            proxy.tamperBodies(body -> new String(body, StandardCharsets.UTF_8)
                    .replace(">DIGIPOST<", ">IDENTIFIED<").getBytes(StandardCharsets.UTF_8));
            DigipostClientException refused = assertThrows(DigipostClientException.class, () -> client.identifyRecipient(ola));
            assertEquals(ErrorCode.SERVER_SIGNATURE_ERROR, refused.getErrorCode(), refused::getMessage);
        }
    }
}
