package no.postbud.conformance;

import no.digipost.api.client.representations.NorwegianAddress;
import no.digipost.api.client.representations.PersonalIdentificationNumber;
import no.digipost.api.client.representations.PrintDetails;
import no.digipost.api.client.representations.PrintRecipient;

/** The recipients the pytest registers through the CLI. */
final class Recipients {

    /** A person with a Digipost mailbox. */
    static final PersonalIdentificationNumber MAILBOX_PERSON = new PersonalIdentificationNumber("15108695088");
    /** A known person without a mailbox: letters to them go to print. */
    static final PersonalIdentificationNumber PAPER_PERSON = new PersonalIdentificationNumber("31129956715");
    /** A valid number nobody has registered. */
    static final PersonalIdentificationNumber UNKNOWN_PERSON = new PersonalIdentificationNumber("01010111079");
    /** An organisation with a mailbox. */
    static final String MAILBOX_ORGANISATION = "984661185";
    /** The sender's own organisation, with a mailbox: what is sent to it is in the sender's inbox. */
    static final String OWN_ORGANISATION = "974760673";

    private Recipients() {
    }

    static PrintDetails printDetailsForPaperPerson() {
        return new PrintDetails(
                new PrintRecipient("Kari Nordmann", new NorwegianAddress("Prinsens gate 2", "0152", "Oslo")),
                new PrintRecipient("Konformanse Kommune", new NorwegianAddress("Rådhusgata 1", "0151", "Oslo")),
                PrintDetails.PrintColors.MONOCHROME, PrintDetails.NondeliverableHandling.RETURN_TO_SENDER);
    }
}
