package no.postbud.conformance;

import no.digipost.api.client.errorhandling.DigipostClientException;
import no.digipost.api.client.errorhandling.ErrorCode;
import no.digipost.api.client.errorhandling.ErrorType;
import no.digipost.api.client.representations.AdditionalData;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.datatypes.DataTypeIdentifier;
import no.digipost.api.datatypes.types.invoice.Invoice;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.ZonedDateTime;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdditionalDataTest {

    @Test
    void an_invoice_gets_its_payment_added() {
        MessageDelivery invoice = Letters.sendToMailbox("Faktura som betales", new Invoice(
                null, ZonedDateTime.now().plusDays(14), new BigDecimal("100.00"), "12345678903", "2345676"));
        assertNotNull(invoice.getPrimaryDocument().getAddDataLink());

        CLIENT.addData(invoice.getPrimaryDocument().getAddDataLink(),
                AdditionalData.Builder.newAdditionalData(DataTypeIdentifier.INVOICE_PAYMENT.getExample())
                        .setSenderId(SENDER)
                        .build());
    }

    @Test
    void a_datatype_the_original_does_not_take_is_refused() {
        MessageDelivery invoice = Letters.sendToMailbox("Faktura", new Invoice(
                null, ZonedDateTime.now().plusDays(14), new BigDecimal("100.00"), "12345678903", "2345676"));

        DigipostClientException refused = assertThrows(DigipostClientException.class, () ->
                CLIENT.addData(invoice.getPrimaryDocument().getAddDataLink(),
                        AdditionalData.Builder.newAdditionalData(DataTypeIdentifier.APPOINTMENT.getExample()).build()));
        assertEquals(ErrorCode.VALIDATION_FAILED, refused.getErrorCode(), refused::getMessage);
        assertEquals(ErrorType.CLIENT_DATA, refused.getErrorType(), refused::getMessage);
    }
}
