package no.postbud.conformance;

import no.digipost.api.client.representations.Autocomplete;
import no.digipost.api.client.representations.Recipient;
import no.digipost.api.client.representations.Recipients;
import org.junit.jupiter.api.Test;

import java.util.List;

import static no.postbud.conformance.Postbud.CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchTest {

    @Test
    void search_finds_the_mailbox_owner_by_name() {
        Recipients found = CLIENT.search("Nordmann");

        List<Recipient> recipients = found.getRecipients();
        assertFalse(recipients.isEmpty());
        Recipient ola = recipients.get(0);
        assertEquals("Ola", ola.getFirstname());
        assertEquals("Nordmann", ola.getLastname());
        assertNotNull(ola.getDigipostAddress());
    }

    @Test
    void search_for_nobody_finds_nobody() {
        assertTrue(CLIENT.search("Xyzzyingensteds").getRecipients().isEmpty());
    }

    @Test
    void autocomplete_suggests_the_mailbox_owner() {
        Autocomplete suggestions = CLIENT.getAutocompleteSuggestions("Nordm");

        assertFalse(suggestions.getSuggestions().isEmpty());
        assertTrue(suggestions.getSuggestions().stream()
                .anyMatch(s -> s.getSearchString().toLowerCase().contains("ola nordmann")),
                () -> "suggestions: " + suggestions.getSuggestions().stream().map(s -> s.getSearchString()).toList());
    }

    /** A space: the client signs the decoded path and verifies the answer over the encoded one. */
    @Test
    void search_with_a_space_finds_the_mailbox_owner() {
        List<Recipient> hits = CLIENT.search("Ola Nordmann").getRecipients();

        assertFalse(hits.isEmpty());
        assertEquals("Ola", hits.get(0).getFirstname());
    }

    /**
     * Letters outside ASCII: the client writes them unencoded into the request line (ISO-8859-1
     * bytes, "/recipients/search/\u00c5se%20\u00d8deg\u00e5rd"), signs the decoded path and verifies
     * the answer over the path as it wrote it.
     */
    @Test
    void search_with_norwegian_letters_finds_the_person() {
        List<Recipient> hits = CLIENT.search("\u00c5se \u00d8deg\u00e5rd").getRecipients();

        assertEquals(1, hits.size(), () -> "hits: " + hits.stream().map(Recipient::getLastname).toList());
        assertEquals("\u00c5se", hits.get(0).getFirstname());
        assertEquals("\u00d8deg\u00e5rd", hits.get(0).getLastname());
    }

    @Test
    void autocomplete_with_norwegian_letters_suggests_the_person() {
        Autocomplete suggestions = CLIENT.getAutocompleteSuggestions("\u00c5se \u00d8de");

        assertTrue(suggestions.getSuggestions().stream()
                .anyMatch(s -> s.getSearchString().contains("\u00c5se \u00d8deg\u00e5rd")),
                () -> "suggestions: " + suggestions.getSuggestions().stream().map(s -> s.getSearchString()).toList());
    }

    /** A space: the client signs the decoded path and verifies the answer over the encoded one. */
    @Test
    void autocomplete_with_a_space_is_verified() {
        Autocomplete suggestions = CLIENT.getAutocompleteSuggestions("Ola Nord");

        assertTrue(suggestions.getSuggestions().stream()
                .anyMatch(s -> s.getSearchString().toLowerCase().contains("ola nordmann")),
                () -> "suggestions: " + suggestions.getSuggestions().stream().map(s -> s.getSearchString()).toList());
    }
}
