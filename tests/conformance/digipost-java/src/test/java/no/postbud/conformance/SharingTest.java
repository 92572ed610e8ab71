package no.postbud.conformance;

import no.digipost.api.client.representations.AdditionalData;
import no.digipost.api.client.representations.DocumentEventType;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.client.representations.shareddocuments.ShareDocumentsRequestState;
import no.digipost.api.client.representations.shareddocuments.SharedDocument;
import no.digipost.api.client.representations.shareddocuments.SharedDocumentContent;
import no.digipost.api.datatypes.types.share.ShareDocumentsRequest;
import no.digipost.api.datatypes.types.share.ShareDocumentsRequestSharingStopped;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

    @Test
    void shared_documents_are_seen_fetched_and_the_sharing_stopped() throws Exception {
        String payslip = "Lønnsslipp " + UUID.randomUUID();
        Letters.sendToMailbox(payslip, null);
        String subject = "Del dokumentasjon " + UUID.randomUUID();
        MessageDelivery request = Letters.sendToMailbox(subject, new ShareDocumentsRequest(
                Duration.ofDays(30).toSeconds(), "Vi trenger dokumentasjon på inntekt.", null));
        UUID requestUuid = request.getPrimaryDocument().uuid;

        SandboxInbox ola = new SandboxInbox(URI.create(Postbud.required("postbud.url")));
        ola.signInAs("Ola Nordmann");
        ola.shareInAnswerTo(subject, payslip);

        ShareDocumentsRequestState state = CLIENT.getShareDocumentsRequestState(SENDER, requestUuid);
        assertEquals(1, state.getSharedDocuments().size());
        assertNotNull(state.getSharedAtTime());
        assertNotNull(state.getExpiryTime());
        assertNull(state.getWithdrawnTime());
        SharedDocument shared = state.getSharedDocuments().get(0);
        assertEquals(payslip, shared.getSubject());

        try (InputStream content = CLIENT.getSharedDocumentContentStream(shared.getSharedDocumentContentStream())) {
            assertArrayEquals(Pdfs.printable(), content.readAllBytes());
        }
        SharedDocumentContent view = CLIENT.getSharedDocumentContent(shared.getSharedDocumentContent());
        assertNotNull(view.getUri());

        ZonedDateTime since = ZonedDateTime.now().minusMinutes(5);
        assertTrue(CLIENT.getDocumentEvents(SENDER, since, ZonedDateTime.now().plusMinutes(1), 0, 10_000).getEvents().stream()
                .anyMatch(e -> e.getUuid().equals(requestUuid) && e.getType() == DocumentEventType.SHARE_DOCUMENTS_REQUEST_DOCUMENTS_SHARED));

        assertNotNull(state.stopSharing());
        CLIENT.stopSharing(SENDER, state.stopSharing());
        assertTrue(CLIENT.getShareDocumentsRequestState(SENDER, requestUuid).getSharedDocuments().isEmpty());
    }

    @Test
    void the_recipient_withdraws_the_sharing() {
        String payslip = "Lønnsslipp " + UUID.randomUUID();
        Letters.sendToMailbox(payslip, null);
        String subject = "Del dokumentasjon " + UUID.randomUUID();
        UUID requestUuid = Letters.sendToMailbox(subject, new ShareDocumentsRequest(
                Duration.ofDays(30).toSeconds(), "Vi trenger dokumentasjon på inntekt.", null)).getPrimaryDocument().uuid;
        ZonedDateTime since = ZonedDateTime.now().minusMinutes(1);
        SandboxInbox ola = new SandboxInbox(URI.create(Postbud.required("postbud.url")));
        ola.signInAs("Ola Nordmann");
        ola.shareInAnswerTo(subject, payslip);

        ola.withdrawSharingOf(subject);

        ShareDocumentsRequestState state = CLIENT.getShareDocumentsRequestState(SENDER, requestUuid);
        assertNotNull(state.getWithdrawnTime());
        assertTrue(state.getSharedDocuments().isEmpty());
        assertTrue(CLIENT.getDocumentEvents(SENDER, since, ZonedDateTime.now().plusMinutes(1), 0, 10_000).getEvents().stream()
                .anyMatch(e -> requestUuid.equals(e.getUuid()) && e.getType() == DocumentEventType.SHARE_DOCUMENTS_REQUEST_SHARING_WITHDRAWN));
    }
}
