package no.postbud.conformance;

import no.digipost.api.client.errorhandling.DigipostClientException;
import no.digipost.api.client.errorhandling.ErrorCode;
import no.digipost.api.client.representations.archive.Archive;
import no.digipost.api.client.representations.archive.ArchiveDocument;
import no.digipost.api.client.representations.archive.ArchiveDocumentContent;
import no.digipost.api.client.representations.archive.Archives;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The archive API, each call through the official client (ArchiveApi and DigipostClient). */
class ArchiveTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<UUID> uuids(List<ArchiveDocument> documents) {
        return documents.stream().map(ArchiveDocument::getUuid).collect(Collectors.toSet());
    }

    /** Two documents in an archive of this test's own, the way ArkiverDokumenterEksempel does it. */
    private record Stored(String name, String reference, ArchiveDocument invoice, ArchiveDocument attachment) {
    }

    private static Stored archiveTwo() {
        String name = "Arkiv " + UUID.randomUUID();
        String reference = "sak-" + UUID.randomUUID();
        ArchiveDocument invoice = new ArchiveDocument(UUID.randomUUID(), "faktura.pdf", "pdf", "application/pdf")
                .withReferenceId(reference).withAttribute("kunde", "42").withAttribute("type", "faktura");
        ArchiveDocument attachment = new ArchiveDocument(UUID.randomUUID(), "vedlegg.pdf", "pdf", "application/pdf")
                .withReferenceId(reference).withAttribute("kunde", "42")
                .withDeletionTime(ZonedDateTime.now().plusMonths(6));
        Archive archive = Archive.namedArchive(name).documents(invoice, attachment).build();

        Archive archived = CLIENT.archiveDocuments(archive)
                .addFile(invoice, bytes("faktura " + reference))
                .addFile(attachment, bytes("vedlegg " + reference))
                .send();

        assertEquals(name, archived.getName());
        assertEquals(Set.of(invoice.uuid, attachment.uuid), uuids(archived.getDocuments()));
        return new Stored(name, reference, invoice, attachment);
    }

    private static Archive named(String name) {
        Archives archives = CLIENT.getArchives(SENDER);
        return archives.getArchives().stream().filter(a -> name.equals(a.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no archive " + name + " in " + archives.getArchives().size()));
    }

    @Test
    void archived_documents_are_listed_page_by_page_and_filtered() {
        Stored stored = archiveTwo();
        Archive archive = named(stored.name());

        Archive page = CLIENT.getArchiveDocuments(archive.getNextDocuments().orElseThrow());
        assertEquals(Set.of(stored.invoice().uuid, stored.attachment().uuid), uuids(page.getDocuments()));
        ArchiveDocument invoice = page.getDocuments().stream()
                .filter(d -> d.getUuid().equals(stored.invoice().uuid)).findFirst().orElseThrow();
        assertEquals("faktura.pdf", invoice.getFileName());
        assertEquals(stored.reference(), invoice.getReferenceid());
        assertEquals(2, invoice.getAttributes().size());
        assertNotNull(invoice.getArchivedTime());
        assertNotNull(invoice.getContentHash());

        Archive invoices = CLIENT.getArchiveDocuments(
                archive.getNextDocumentsWithAttributes(Map.of("type", "faktura")).orElseThrow());
        assertEquals(Set.of(stored.invoice().uuid), uuids(invoices.getDocuments()));

        OffsetDateTime now = OffsetDateTime.now();
        Archive today = CLIENT.getArchiveDocuments(
                archive.getNextDocumentsByDate(now.minusHours(1), now.plusHours(1)).orElseThrow());
        assertEquals(2, today.getDocuments().size());
        Archive tomorrow = CLIENT.getArchiveDocuments(archive.getNextDocumentsWithAttributesByDate(
                Map.of("kunde", "42"), now.plusDays(1), now.plusDays(2)).orElseThrow());
        assertTrue(tomorrow.getDocuments().isEmpty());
    }

    @Test
    void a_document_is_found_by_uuid_and_by_reference_id() {
        Stored stored = archiveTwo();

        Archive byUuid = CLIENT.getArchiveDocumentByUuid(SENDER, stored.invoice().uuid);
        assertEquals(stored.name(), byUuid.getName());
        assertEquals(Set.of(stored.invoice().uuid), uuids(byUuid.getDocuments()));
        Archive brokersOwn = CLIENT.getArchiveDocumentByUuid(stored.attachment().uuid);
        assertNotNull(brokersOwn.getDocuments().get(0).getDeletionTime());

        Archives byReference = CLIENT.getArchiveDocumentsByReferenceId(SENDER, stored.reference());
        assertEquals(1, byReference.getArchives().size());
        assertEquals(Set.of(stored.invoice().uuid, stored.attachment().uuid),
                uuids(byReference.getArchives().get(0).getDocuments()));
    }

    @Test
    void content_is_fetched_as_a_link_and_as_bytes() throws IOException {
        Stored stored = archiveTwo();
        ArchiveDocument invoice = CLIENT.getArchiveDocumentByUuid(SENDER, stored.invoice().uuid).getDocuments().get(0);

        ArchiveDocumentContent content = CLIENT.getArchiveDocumentContent(invoice.getDocumentContent());
        assertEquals("application/pdf", content.getContentType());
        assertNotNull(content.getUri());
        try (InputStream stream = CLIENT.getArchiveDocumentContentStream(invoice.getDocumentContentStream())) {
            assertArrayEquals(bytes("faktura " + stored.reference()), stream.readAllBytes());
        }
    }

    @Test
    void a_document_is_updated_given_another_uuid_and_deleted() {
        Stored stored = archiveTwo();
        ArchiveDocument invoice = CLIENT.getArchiveDocumentByUuid(SENDER, stored.invoice().uuid).getDocuments().get(0);

        ArchiveDocument changed = new ArchiveDocument(invoice.getUuid(), "faktura-2.pdf", "pdf", "application/pdf")
                .withReferenceId("ny-" + stored.reference()).withAttribute("betalt", "ja");
        ArchiveDocument updated = CLIENT.updateArchiveDocument(changed, invoice.getUpdate());
        assertEquals("faktura-2.pdf", updated.getFileName());
        assertEquals("ny-" + stored.reference(), updated.getReferenceid());
        assertEquals("betalt", updated.getAttributes().get(0).getKey());

        UUID another = UUID.randomUUID();
        Archive withBoth = CLIENT.addUniqueUUIDToArchiveDocument(SENDER, invoice.getUuid(), another);
        assertEquals(Set.of(invoice.getUuid(), another), uuids(withBoth.getDocuments()));

        CLIENT.deleteArchiveDocument(updated.getDelete());
        DigipostClientException gone = assertThrows(DigipostClientException.class,
                () -> CLIENT.getArchiveDocumentByUuid(SENDER, invoice.getUuid()));
        assertEquals(ErrorCode.DOCUMENT_NOT_FOUND, gone.getErrorCode());
        assertEquals(Set.of(another), uuids(CLIENT.getArchiveDocumentByUuid(SENDER, another).getDocuments()));
    }

    @Test
    void a_uuid_archived_before_is_refused() {
        Stored stored = archiveTwo();
        ArchiveDocument again = new ArchiveDocument(stored.invoice().uuid, "igjen.pdf", "pdf", "application/pdf");
        Archive archive = Archive.defaultArchive().documents(again).build();

        DigipostClientException refused = assertThrows(DigipostClientException.class,
                () -> CLIENT.archiveDocuments(archive).addFile(again, bytes("igjen")).send());
        assertEquals(ErrorCode.DUPLICATE_DOCUMENT_ID, refused.getErrorCode());
    }
}
