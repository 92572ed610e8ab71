package no.postbud.conformance;

import no.digipost.api.client.representations.Identification;
import no.digipost.api.client.representations.IdentificationResult;
import no.digipost.api.client.representations.IdentificationResultCode;
import no.digipost.api.client.representations.PersonalIdentificationNumber;
import no.digipost.api.client.representations.accounts.EmailAddress;
import no.digipost.api.client.representations.accounts.NationalIdentityNumber;
import no.digipost.api.client.representations.accounts.PhoneNumber;
import no.digipost.api.client.representations.accounts.PublicMailboxTag;
import no.digipost.api.client.representations.accounts.Tag;
import no.digipost.api.client.representations.accounts.TagType;
import no.digipost.api.client.representations.accounts.UserAccount;
import no.digipost.api.client.representations.accounts.UserInformation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagsAndUserAccountsTest {

    /** A valid fødselsnummer nobody else in the suite uses. */
    private static final String NEWCOMER = "01088044300";

    @Test
    void a_public_mailbox_tag_is_added_read_and_removed() {
        Tag tag = new Tag(new PublicMailboxTag(Recipients.MAILBOX_PERSON));

        CLIENT.addTag(tag);
        CLIENT.addTag(tag);
        assertEquals(List.of(TagType.PUBLIC_MAILBOX_TAG), CLIENT.getTags(Recipients.MAILBOX_PERSON).getTags());
        assertTrue(CLIENT.getTags(Recipients.PAPER_PERSON).getTags().isEmpty());

        CLIENT.removeTag(tag);
        assertTrue(CLIENT.getTags(Recipients.MAILBOX_PERSON).getTags().isEmpty());
    }

    @Test
    void a_user_account_is_created_and_the_person_is_then_a_digipost_user() {
        UserInformation user = new UserInformation(new NationalIdentityNumber(NEWCOMER),
                new PhoneNumber("+4791234567"), new EmailAddress("ny.bruker@example.no"));

        UserAccount account = CLIENT.createOrActivateUserAccount(SENDER, user);

        assertNotNull(account.getDigipostAddress());
        assertTrue(account.getEncryptionKey().getValuePEMFormatted().contains("BEGIN PUBLIC KEY"));
        IdentificationResult identified =
                CLIENT.identifyRecipient(new Identification(new PersonalIdentificationNumber(NEWCOMER)));
        assertEquals(IdentificationResultCode.DIGIPOST, identified.getResult());
    }
}
