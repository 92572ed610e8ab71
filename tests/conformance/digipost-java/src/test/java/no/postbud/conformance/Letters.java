package no.postbud.conformance;

import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.datatypes.DataType;

import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;

/** Sending the everyday letter the other tests start from. */
final class Letters {

    private Letters() {
    }

    static MessageDelivery sendToMailbox(String subject, DataType data) {
        Document primary = new Document(UUID.randomUUID(), subject, FileType.PDF, data);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.MAILBOX_PERSON)
                .build();
        return CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();
    }
}
