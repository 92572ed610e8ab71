package no.postbud.conformance;

import no.digipost.api.client.BrokerId;
import no.digipost.api.client.DigipostClient;
import no.digipost.api.client.DigipostClientConfig;
import no.digipost.api.client.errorhandling.DigipostClientException;
import no.digipost.api.client.errorhandling.ErrorCode;
import no.digipost.api.client.errorhandling.ErrorType;
import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Identification;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.OrganisationNumber;
import no.digipost.api.client.representations.PeppolAddresses;
import no.digipost.api.client.representations.RequestForRegistration;
import no.digipost.api.client.representations.accounts.EmailAddress;
import no.digipost.api.client.representations.accounts.PhoneNumber;
import no.digipost.api.client.security.Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;

import static java.nio.charset.StandardCharsets.UTF_8;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each error the client knows that Postbud produces, as the exception and code the client raises. */
class ErrorsTest {

    @Test
    void unknown_recipient() {
        assertFails(ErrorCode.UNKNOWN_RECIPIENT, ErrorType.CLIENT_DATA, () -> send(
                Message.newMessage(UUID.randomUUID(), document()).recipient(Recipients.UNKNOWN_PERSON)));
    }

    @Test
    void duplicate_message() {
        UUID messageId = UUID.randomUUID();
        send(Message.newMessage(messageId, document()).recipient(Recipients.MAILBOX_PERSON));
        assertFails(ErrorCode.DUPLICATE_MESSAGE, ErrorType.CLIENT_DATA, () -> send(
                Message.newMessage(messageId, document()).recipient(Recipients.MAILBOX_PERSON)));
    }

    @Test
    void duplicate_document_id() {
        Document primary = document();
        send(Message.newMessage(UUID.randomUUID(), primary).recipient(Recipients.MAILBOX_PERSON));
        assertFails(ErrorCode.DUPLICATE_DOCUMENT_ID, ErrorType.CLIENT_DATA, () -> send(
                Message.newMessage(UUID.randomUUID(), primary).recipient(Recipients.MAILBOX_PERSON)));
    }

    @Test
    void unknown_batch() {
        assertFails(ErrorCode.UNKNOWN_BATCH, ErrorType.CLIENT_DATA, () -> CLIENT.getBatchInformation(UUID.randomUUID()));
    }

    @Test
    void document_not_found() {
        assertFails(ErrorCode.DOCUMENT_NOT_FOUND, ErrorType.CLIENT_TECHNICAL,
                () -> CLIENT.getDocumentStatus(SENDER, UUID.randomUUID()));
    }

    @Test
    void invalid_phone_number_in_a_request_for_registration() {
        assertFails(ErrorCode.INVALID_PHONE_NUMBER, ErrorType.CLIENT_DATA, () -> send(registration(
                new RequestForRegistration(ZonedDateTime.now().plusDays(1), new PhoneNumber("123"), null, null))));
    }

    @Test
    void invalid_email_address_in_a_request_for_registration() {
        assertFails(ErrorCode.INVALID_EMAIL_ADDRESS, ErrorType.CLIENT_DATA, () -> send(registration(
                new RequestForRegistration(ZonedDateTime.now().plusDays(1), null, new EmailAddress("ikke-en-adresse"), null))));
    }

    @Test
    void validation_failed_for_a_deadline_in_the_past() {
        assertFails(ErrorCode.VALIDATION_FAILED, ErrorType.CLIENT_DATA, () -> send(registration(
                new RequestForRegistration(ZonedDateTime.now().minusDays(1), new PhoneNumber("+4741234567"), null, null))));
    }

    @Test
    void peppol_file_must_be_xml() {
        assertFails(ErrorCode.PEPPOL_FILE_MUST_BE_XML, ErrorType.CLIENT_DATA, () -> send(
                Message.newMessage(UUID.randomUUID(), document())
                        .recipient(new PeppolAddresses("0192:" + Recipients.MAILBOX_ORGANISATION, "0192:974760673"))));
    }

    @Test
    void unknown_peppol_recipient() {
        Document invoice = new Document(UUID.randomUUID(), "E-faktura", FileType.XML);
        Message message = Message.newMessage(UUID.randomUUID(), invoice)
                .recipient(new PeppolAddresses("0192:" + Recipients.MAILBOX_ORGANISATION, "0192:974760673"))
                .build();
        assertFails(ErrorCode.UNKNOWN_PEPPOL_RECIPIENT, ErrorType.CLIENT_DATA, () -> CLIENT.createMessage(message)
                .addContent(invoice, "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>".getBytes(UTF_8))
                .send());
    }

    @Test
    void events_beyond_the_page_limit_are_an_invalid_query_parameter() {
        ZonedDateTime now = ZonedDateTime.now();
        assertFails(ErrorCode.INVALID_QUERY_PARAMETER, ErrorType.CLIENT_TECHNICAL,
                () -> CLIENT.getDocumentEvents(SENDER, now.minusDays(1), now, 0, 10_001));
    }

    @Test
    void events_from_after_to_are_an_invalid_date_range() {
        ZonedDateTime now = ZonedDateTime.now();
        assertFails(ErrorCode.INVALID_DATE_RANGE, ErrorType.CLIENT_TECHNICAL,
                () -> CLIENT.getDocumentEvents(SENDER, now, now.minusDays(1), 0, 10));
    }

    @Test
    void a_key_the_sender_does_not_own_is_an_invalid_signature() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        DigipostClient stranger = new DigipostClient(
                DigipostClientConfig.newConfiguration().digipostApiUri(URI.create(Postbud.required("postbud.url"))).build(),
                BrokerId.of(SENDER.value()), Signer.using(generator.generateKeyPair().getPrivate()));
        assertFails(ErrorCode.INVALID_SIGNATURE, ErrorType.CLIENT_TECHNICAL,
                () -> stranger.identifyRecipient(new Identification(Recipients.MAILBOX_PERSON)));
    }

    @Test
    void an_unknown_broker() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        DigipostClient stranger = new DigipostClient(
                DigipostClientConfig.newConfiguration().digipostApiUri(URI.create(Postbud.required("postbud.url"))).build(),
                BrokerId.of(424242), Signer.using(generator.generateKeyPair().getPrivate()));
        assertFails(ErrorCode.UNKNOWN_USER_ID, ErrorType.CLIENT_TECHNICAL,
                () -> stranger.identifyRecipient(new Identification(new OrganisationNumber(Recipients.MAILBOX_ORGANISATION))));
    }

    private static Message.MessageBuilder registration(RequestForRegistration request) {
        return Message.newMessage(UUID.randomUUID(), document())
                .recipient(Recipients.UNKNOWN_PERSON)
                .requestForRegistration(request);
    }

    private static Document document() {
        return new Document(UUID.randomUUID(), "Feiltest", FileType.PDF);
    }

    private static void send(Message.MessageBuilder message) {
        Message built = message.build();
        CLIENT.createMessage(built).addContent(built.primaryDocument, Pdfs.printable()).send();
    }

    private static void assertFails(ErrorCode code, ErrorType type, Executable call) {
        DigipostClientException thrown = assertThrows(DigipostClientException.class, call);
        assertEquals(code, thrown.getErrorCode(), thrown::getMessage);
        assertEquals(type, thrown.getErrorType(), thrown::getMessage);
    }
}
