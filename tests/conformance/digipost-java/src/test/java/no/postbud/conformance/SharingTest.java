package no.postbud.conformance;

import no.digipost.api.client.representations.AdditionalData;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.client.representations.shareddocuments.ShareDocumentsRequestState;
import no.digipost.api.datatypes.types.share.ShareDocumentsRequest;
import no.digipost.api.datatypes.types.share.ShareDocumentsRequestSharingStopped;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharingTest {

    @Test
    void a_request_nobody_has_answered_has_no_shared_documents() {
        MessageDelivery request = Letters.sendToMailbox("Del lønnsslipper", new ShareDocumentsRequest(
                Duration.ofDays(30).toSeconds(), "Vi trenger lønnsslippene dine.", null));

        ShareDocumentsRequestState state = CLIENT.getShareDocumentsRequestState(SENDER, request.getPrimaryDocument().uuid);

        assertTrue(state.getSharedDocuments().isEmpty());
        assertNull(state.getSharedAtTime());
        assertNull(state.getWithdrawnTime());
    }

    @Test
    void the_sender_stops_a_request_by_adding_sharing_stopped() {
        MessageDelivery request = Letters.sendToMailbox("Del kontoutskrifter", new ShareDocumentsRequest(
                Duration.ofDays(30).toSeconds(), "Vi trenger kontoutskriftene dine.", null));

        CLIENT.addData(request.getPrimaryDocument().getAddDataLink(), AdditionalData.Builder
                .newAdditionalData(new ShareDocumentsRequestSharingStopped())
                .build());

        ShareDocumentsRequestState state = CLIENT.getShareDocumentsRequestState(SENDER, request.getPrimaryDocument().uuid);
        assertTrue(state.getSharedDocuments().isEmpty());
    }
}
