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
}
