package no.postbud.conformance;

import no.digipost.api.client.representations.Channel;
import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.DocumentStatus;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.client.representations.MessageStatus;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Documents the client pre-encrypts (CMS, AES-256, RSA): for a mailbox with the key identification
 * returns, for print with the print encryption certificate. Postbud opens them, so the stored
 * document's hash (document status) is that of the plain PDF, not of what the client sent.
 */
class PreEncryptionTest {

    private static String sha256(byte[] content) throws NoSuchAlgorithmException {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
    }

    @Test
    void a_letter_encrypted_for_the_recipients_key_is_delivered_opened() throws NoSuchAlgorithmException {
        Document primary = new Document(UUID.randomUUID(), "Kryptert", FileType.PDF).encrypt();
        Message message = Message.newMessage(UUID.randomUUID(), primary).recipient(Recipients.MAILBOX_PERSON).build();

        MessageDelivery delivery = CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();

        assertEquals(Channel.DIGIPOST, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED, delivery.getStatus());
        DocumentStatus status = CLIENT.getDocumentStatus(SENDER, primary.uuid);
        assertEquals(sha256(Pdfs.printable()), status.contentHash);
    }

    @Test
    void a_print_letter_encrypted_for_the_print_certificate_is_printed_opened() throws NoSuchAlgorithmException {
        Document primary = new Document(UUID.randomUUID(), "Kryptert print", FileType.PDF).encrypt();
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .printDetails(Recipients.printDetailsForPaperPerson())
                .build();

        MessageDelivery delivery = CLIENT.createPrintOnlyMessage(message).addContent(primary, Pdfs.printable()).send();

        assertEquals(Channel.PRINT, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED_TO_PRINT, delivery.getStatus());
        assertEquals(sha256(Pdfs.printable()), CLIENT.getDocumentStatus(SENDER, primary.uuid).contentHash);
    }

    @Test
    void print_fallback_encrypts_for_print_when_the_person_has_no_mailbox() throws NoSuchAlgorithmException {
        Document primary = new Document(UUID.randomUUID(), "Kryptert fallback", FileType.PDF).encrypt();
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(new no.digipost.api.client.representations.MessageRecipient(
                        Recipients.PAPER_PERSON, Recipients.printDetailsForPaperPerson()))
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message)
                .addContent(primary, Pdfs.printable(), Pdfs.printable()).send();

        assertEquals(Channel.PRINT, delivery.getChannel());
        assertEquals(sha256(Pdfs.printable()), CLIENT.getDocumentStatus(SENDER, primary.uuid).contentHash);
    }
}
