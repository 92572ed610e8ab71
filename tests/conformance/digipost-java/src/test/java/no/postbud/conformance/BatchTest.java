package no.postbud.conformance;

import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.client.representations.batch.Batch;
import no.digipost.api.client.representations.batch.BatchStatus;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class BatchTest {

    @Test
    void a_batch_is_created_filled_and_completed() {
        UUID batchUuid = UUID.randomUUID();
        Batch created = CLIENT.createBatch(batchUuid);
        assertEquals(batchUuid.toString(), created.getUuid());
        assertEquals(BatchStatus.CREATED, created.getStatus());

        Document primary = new Document(UUID.randomUUID(), "I en batch", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.MAILBOX_PERSON)
                .batch(batchUuid)
                .build();
        MessageDelivery delivery = CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();
        assertNotNull(delivery.getStatus());

        Batch filled = CLIENT.getBatchInformation(batchUuid);
        assertEquals(BatchStatus.NOT_COMMITTED, filled.getStatus());
        assertEquals(1, filled.getCountDigipost());

        Batch completed = CLIENT.completeBatch(filled);
        assertEquals(batchUuid.toString(), completed.getUuid());
        assertEquals(BatchStatus.COMMITTED, completed.getStatus());
    }

    @Test
    void a_batch_is_cancelled() {
        UUID batchUuid = UUID.randomUUID();
        Batch created = CLIENT.createBatch(batchUuid);

        CLIENT.cancelBatch(created);
    }
}
