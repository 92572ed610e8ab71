package no.postbud.conformance;

import no.digipost.api.client.representations.DigipostAddress;
import no.digipost.api.client.representations.Identification;
import no.digipost.api.client.representations.IdentificationResult;
import no.digipost.api.client.representations.IdentificationResultCode;
import no.digipost.api.client.representations.InvalidReason;
import no.digipost.api.client.representations.NameAndAddress;
import no.digipost.api.client.representations.OrganisationNumber;
import no.digipost.api.client.representations.PersonalIdentificationNumber;
import no.digipost.api.client.representations.UnidentifiedReason;
import org.junit.jupiter.api.Test;

import static no.postbud.conformance.Postbud.CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class IdentificationTest {

    @Test
    void a_mailbox_owner_is_digipost() {
        IdentificationResult result = CLIENT.identifyRecipient(new Identification(Recipients.MAILBOX_PERSON));
        assertEquals(IdentificationResultCode.DIGIPOST, result.getResult());
        assertNull(result.getInvalidReason());
        assertNull(result.getUnidentifiedReason());
    }

    @Test
    void a_known_person_without_mailbox_is_identified_with_an_alias() {
        IdentificationResult result = CLIENT.identifyRecipient(new Identification(Recipients.PAPER_PERSON));
        assertEquals(IdentificationResultCode.IDENTIFIED, result.getResult());
        assertNotNull(result.getPersonAlias());
    }

    @Test
    void an_unknown_person_is_unidentified() {
        IdentificationResult result = CLIENT.identifyRecipient(new Identification(Recipients.UNKNOWN_PERSON));
        assertEquals(IdentificationResultCode.UNIDENTIFIED, result.getResult());
        assertEquals(UnidentifiedReason.NOT_FOUND, result.getUnidentifiedReason());
    }

    @Test
    void a_number_with_a_wrong_check_digit_is_invalid() {
        IdentificationResult result = CLIENT.identifyRecipient(
                new Identification(new PersonalIdentificationNumber("15108695089")));
        assertEquals(IdentificationResultCode.INVALID, result.getResult());
        assertEquals(InvalidReason.INVALID_PERSONAL_IDENTIFICATION_NUMBER, result.getInvalidReason());
    }

    @Test
    void an_organisation_with_a_mailbox_is_digipost() {
        IdentificationResult result = CLIENT.identifyRecipient(
                new Identification(new OrganisationNumber(Recipients.MAILBOX_ORGANISATION)));
        assertEquals(IdentificationResultCode.DIGIPOST, result.getResult());
    }

    @Test
    void by_name_and_address_the_mailbox_owner_is_digipost() {
        IdentificationResult result = CLIENT.identifyRecipient(
                new Identification(new NameAndAddress("Ola Nordmann", "Storgata 1", null, "0155", "Oslo")));
        assertEquals(IdentificationResultCode.DIGIPOST, result.getResult());
    }

    @Test
    void an_unknown_digipost_address_is_unidentified() {
        IdentificationResult result = CLIENT.identifyRecipient(new Identification(new DigipostAddress("ingen.her#0000")));
        assertEquals(IdentificationResultCode.UNIDENTIFIED, result.getResult());
        assertEquals(UnidentifiedReason.NOT_FOUND, result.getUnidentifiedReason());
    }
}
