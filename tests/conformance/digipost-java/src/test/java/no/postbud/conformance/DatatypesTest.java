package no.postbud.conformance;

import no.digipost.api.client.representations.Channel;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.client.representations.MessageStatus;
import no.digipost.api.datatypes.DataType;
import no.digipost.api.datatypes.DataTypeIdentifier;
import no.digipost.api.datatypes.types.Appointment;
import no.digipost.api.datatypes.types.Address;
import no.digipost.api.datatypes.types.ExternalLink;
import no.digipost.api.datatypes.types.Info;
import no.digipost.api.datatypes.types.Inkasso;
import no.digipost.api.datatypes.types.Language;
import no.digipost.api.datatypes.types.invoice.Invoice;
import no.digipost.api.datatypes.types.share.ShareDocumentsRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatatypesTest {

    private static final ZonedDateTime NEXT_MONTH = ZonedDateTime.now(ZoneId.of("Europe/Oslo")).plusMonths(1).withNano(0);

    /**
     * Every datatype the client offers, as the client's own example of it. Left out until Postbud
     * accepts it: VERIFIABLE_CREDENTIAL_NOTICE (docs/dialects/digipost-conformance.md, "Not yet passing").
     */
    @ParameterizedTest
    @EnumSource(value = DataTypeIdentifier.class, mode = EnumSource.Mode.EXCLUDE, names = "VERIFIABLE_CREDENTIAL_NOTICE")
    void the_clients_example_of_every_datatype_is_delivered(DataTypeIdentifier type) {
        assertDelivered(Letters.sendToMailbox("Datatype " + type.getShortName(), type.getExample()));
    }

    @Test
    void an_invoice() {
        assertDelivered(Letters.sendToMailbox("Faktura",
                new Invoice(null, NEXT_MONTH, new BigDecimal("1250.50"), "12345678903", "2345676")));
    }

    @Test
    void an_inkasso() {
        assertDelivered(Letters.sendToMailbox("Inkassovarsel",
                new Inkasso(null, NEXT_MONTH, new BigDecimal("980.00"), "12345678903", "2345676")));
    }

    @Test
    void an_appointment() {
        ZonedDateTime start = NEXT_MONTH.withHour(10).withMinute(0);
        DataType appointment = new Appointment(start, start.plusMinutes(30), "Kom 15 minutter før",
                "Oslo røntgen", new Address("Storgata 1", null, "0155", "Oslo", "NO"), "Undersøkelse",
                List.of(new Info("Forberedelse", "Ikke spis seks timer før.")), Language.NB, null);
        assertDelivered(Letters.sendToMailbox("Timeavtale", appointment));
    }

    @Test
    void an_external_link() {
        assertDelivered(Letters.sendToMailbox("Lånetilbud", new ExternalLink(
                URI.create("https://example.org/tilbud/123"), NEXT_MONTH, "Les vilkårene og godta.", "Godta")));
    }

    @Test
    void a_share_documents_request() {
        assertDelivered(Letters.sendToMailbox("Del lønnsslipper", new ShareDocumentsRequest(
                Duration.ofDays(60).toSeconds(), "Vi trenger dine seks siste lønnsslipper for å gi deg lån.", null)));
    }

    private static void assertDelivered(MessageDelivery delivery) {
        assertEquals(Channel.DIGIPOST, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED, delivery.getStatus());
    }
}
