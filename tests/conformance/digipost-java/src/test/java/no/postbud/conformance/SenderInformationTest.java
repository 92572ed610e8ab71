package no.postbud.conformance;

import no.digipost.api.client.SenderId;
import no.digipost.api.client.representations.sender.SenderFeatureName;
import no.digipost.api.client.representations.sender.SenderInformation;
import no.digipost.api.client.representations.sender.SenderStatus;
import org.junit.jupiter.api.Test;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SenderInformationTest {

    @Test
    void the_sender_itself_is_a_valid_sender_that_may_deliver_in_digipost() {
        SenderInformation information = CLIENT.getSenderInformation(SENDER);

        assertTrue(information.is(SenderStatus.VALID_SENDER));
        assertEquals(SENDER.value(), information.getSenderId());
        assertTrue(information.hasEnabled(SenderFeatureName.DIGIPOST_DELIVERY));
    }

    @Test
    void by_organisation_number() {
        SenderInformation information = CLIENT.getSenderInformation("974760673", null);

        assertTrue(information.is(SenderStatus.VALID_SENDER));
        assertEquals(SENDER.value(), information.getSenderId());
    }

    @Test
    void an_unknown_sender_has_no_information() {
        assertTrue(CLIENT.getSenderInformation(SenderId.of(1)).is(SenderStatus.NO_INFO_AVAILABLE));
    }
}
