"""Contract list versions, kept by triggers (apps/contracts/models.ListVersion).

Each trigger is statement-level with a transition table, so a bulk write bumps each scope once.
The scopes of one statement are bumped in sorted order (ON CONFLICT takes each row's lock in
the order the rows come), so two statements never wait on each other's scopes crosswise."""

from django.db import migrations, models

BUMP = """
CREATE SEQUENCE contracts_listversion_seq;
CREATE FUNCTION contracts_list_bump(scopes text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO contracts_listversion (scope, version)
    SELECT s, nextval('contracts_listversion_seq')
    FROM (SELECT DISTINCT s FROM unnest(scopes) s WHERE s IS NOT NULL) d ORDER BY s
    ON CONFLICT (scope) DO UPDATE SET version = EXCLUDED.version
$$;
CREATE FUNCTION contracts_list_scopes(contract_ids bigint[]) RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT 'vendor:' || c.vendor_id FROM contracts_contract c WHERE c.id = ANY(contract_ids)
        UNION SELECT 'body:' || c.body_id FROM contracts_contract c WHERE c.id = ANY(contract_ids)
    )
$$;

-- The lists the statement's rows belong to, before and after. The argument: a query of the
-- scopes of the rows in a transition table, named %1$s in it.
CREATE FUNCTION contracts_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rows_before_after text[] := CASE TG_OP
        WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
        ELSE ARRAY['new_rows', 'old_rows'] END;
    transition text;
    scopes text[] := '{}';
    more text[];
BEGIN
    FOREACH transition IN ARRAY rows_before_after LOOP
        EXECUTE format('SELECT ARRAY(' || TG_ARGV[0] || ')', transition) INTO more;
        scopes := scopes || more;
    END LOOP;
    PERFORM contracts_list_bump(scopes);
    RETURN NULL;
END $$;
"""

# Each table whose rows a list shows: its triggers' name and the query of a transition
# table's scopes (%1$s: the transition table): a contract's vendor and body; a term's,
# through its contract.
ROW_SCOPES = {
    "contracts_contract": (
        "contracts_list",
        "SELECT 'vendor:' || vendor_id FROM %1$s UNION SELECT 'body:' || body_id FROM %1$s",
    ),
    "contracts_contractterm": (
        "contracts_term_list",
        "SELECT unnest(contracts_list_scopes(ARRAY(SELECT contract_id FROM %1$s)))",
    ),
}
TRANSITIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
    "DELETE": "OLD TABLE AS old_rows",
}
ROW_TRIGGERS = [
    (f"{name}_on_{event.lower()}", event, table, scopes.replace("'", "''"))
    for table, (name, scopes) in ROW_SCOPES.items()
    for event in TRANSITIONS
]
BUMP += "".join(
    f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {TRANSITIONS[event]}\n"
    f"    FOR EACH STATEMENT EXECUTE FUNCTION contracts_rows_changed('{quoted}');\n"
    for name, event, table, quoted in ROW_TRIGGERS
)
BUMP += """
-- A service's or a vendor's new name: the lists of every contract that shows it (the
-- argument: the contracts' column that refers to the renamed table).
CREATE FUNCTION contracts_name_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    renamed bigint[];
BEGIN
    EXECUTE format(
        'SELECT ARRAY(SELECT c.id FROM contracts_contract c JOIN old_rows o ON o.id = c.%I'
        ' JOIN new_rows n ON n.id = o.id WHERE n.name IS DISTINCT FROM o.name)', TG_ARGV[0]
    ) INTO renamed;
    PERFORM contracts_list_bump(contracts_list_scopes(renamed));
    RETURN NULL;
END $$;
CREATE TRIGGER contracts_list_on_listing_update AFTER UPDATE ON catalog_listing
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION contracts_name_changed('listing_id');
CREATE TRIGGER contracts_list_on_vendor_update AFTER UPDATE ON vendors_vendor
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION contracts_name_changed('vendor_id');

-- The lists of the contracts already made.
SELECT contracts_list_bump(ARRAY(
    SELECT 'vendor:' || vendor_id FROM contracts_contract
    UNION SELECT 'body:' || body_id FROM contracts_contract));
"""

DROP = """
DROP TRIGGER contracts_list_on_vendor_update ON vendors_vendor;
DROP TRIGGER contracts_list_on_listing_update ON catalog_listing;
"""
DROP += "".join(f"DROP TRIGGER {name} ON {table};\n" for name, _, table, _ in ROW_TRIGGERS)
DROP += """DROP FUNCTION contracts_name_changed();
DROP FUNCTION contracts_rows_changed();
DROP FUNCTION contracts_list_scopes(bigint[]);
DROP FUNCTION contracts_list_bump(text[]);
DROP SEQUENCE contracts_listversion_seq;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0002_alter_application_options_alter_contract_options_and_more"),
        ("catalog", "0004_alter_feeband_options_alter_feeschedule_options_and_more"),
        ("vendors", "0002_alter_vendor_options_alter_vendorstaff_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListVersion",
            fields=[
                ("scope", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "契約一覧の版",
                "verbose_name_plural": "契約一覧の版",
                "default_permissions": (),
            },
        ),
        migrations.RunSQL(BUMP, DROP),
    ]
