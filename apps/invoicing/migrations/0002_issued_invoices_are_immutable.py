"""An issued invoice never changes: the database itself refuses it, whatever code runs.

Only the running total of payments (paid_yen) and updated_at may change on an issued invoice;
its lines may not be added, changed or removed, and it may not be deleted."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION invoicing_invoice_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'issued' THEN
            RAISE EXCEPTION 'issued invoice % cannot be deleted', OLD.number
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'issued' AND (
        NEW.status, NEW.kind, NEW.fiscal_year, NEW.issuer_key, NEW.issuer_name,
        NEW.issuer_registration_number, NEW.recipient_id, NEW.recipient_name, NEW.number,
        NEW.sequence, NEW.issue_date, NEW.due_date, NEW.subtotal_yen, NEW.tax_yen,
        NEW.total_yen, NEW.tax_summary::text, NEW.corrects_id, NEW.source_key, NEW.revision
    ) IS DISTINCT FROM (
        OLD.status, OLD.kind, OLD.fiscal_year, OLD.issuer_key, OLD.issuer_name,
        OLD.issuer_registration_number, OLD.recipient_id, OLD.recipient_name, OLD.number,
        OLD.sequence, OLD.issue_date, OLD.due_date, OLD.subtotal_yen, OLD.tax_yen,
        OLD.total_yen, OLD.tax_summary::text, OLD.corrects_id, OLD.source_key, OLD.revision
    ) THEN
        RAISE EXCEPTION 'issued invoice % cannot be changed; issue a credit note', OLD.number
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoicing_invoice_frozen
    BEFORE UPDATE OR DELETE ON invoicing_invoice
    FOR EACH ROW EXECUTE FUNCTION invoicing_invoice_frozen();

CREATE OR REPLACE FUNCTION invoicing_invoiceline_frozen() RETURNS trigger AS $$
DECLARE
    parent_status text;
BEGIN
    SELECT status INTO parent_status FROM invoicing_invoice
     WHERE id = COALESCE(NEW.invoice_id, OLD.invoice_id);
    IF parent_status = 'issued' THEN
        RAISE EXCEPTION 'lines of an issued invoice cannot change'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoicing_invoiceline_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON invoicing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION invoicing_invoiceline_frozen();
"""

REVERSE = """
DROP TRIGGER IF EXISTS invoicing_invoiceline_frozen ON invoicing_invoiceline;
DROP FUNCTION IF EXISTS invoicing_invoiceline_frozen();
DROP TRIGGER IF EXISTS invoicing_invoice_frozen ON invoicing_invoice;
DROP FUNCTION IF EXISTS invoicing_invoice_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
