-- Clean a table as a rowsift recipe does, with DuckDB alone.
--
-- Written by `rowsift export --to duckdb-sql` from the recipe named below. Run it with:
--
--     SET VARIABLE rowsift_input = 'input.csv';
--     .read THIS_FILE.sql
--     COPY clean TO 'clean.parquet';  COPY quarantine TO 'quarantine.parquet';
--
-- `rowsift_input` reads the file; `rowsift_judged` adds each column's transformed text,
-- its typed value and one failure flag per rule (named after the rule id); `clean` holds
-- the rows that pass, transformed and typed, and `quarantine` the others, with their
-- values as read and `_rowsift_reasons` (the ids of the error rules they fail, in recipe
-- order). Both keep `_rowsift_row` (0-based position of the record) and `_rowsift_line`.
-- `rowsift_dataset` (with dataset rules) holds each dataset rule's observed value and
-- whether it passed: the run fails when a rule of severity error did not.
-- As dbt models: `rowsift_input` is your source of text columns numbered by `_rowsift_row`
-- (and `_rowsift_line`), and the body of each later view a model reading the one before
-- (`FROM {{ ref('rowsift_judged') }}`); the two macros go in `on-run-start`.
--
-- Recipe: orders
-- sha256 of the recipe: <sha256 of the recipe>
-- Written for DuckDB 2.0.1, as rowsift runs it (an older DuckDB may lack `lambda x:` or SET
-- VARIABLE).
-- Orders export with stray spaces, mixed case, typos, bad numbers, unparseable dates and
-- duplicated rows. Repairable values are fixed by transforms; the rest is quarantined.
--
-- Where this SQL is not exact (rowsift run would answer otherwise):
-- - rowsift's reader quarantines a record it cannot split (a ragged line, broken quoting) and a
--   line of bare delimiters (`,,,`) as `row.parse` and numbers lines across quoted line breaks;
--   this SQL reads a line of bare delimiters as a row, and plain files only (one record per
--   line, each as wide as the header): a record wider than the header stops it with the
--   library's error, but a narrower one may be read with its missing fields null or empty, and
--   a blank line skipped
-- - header names are DuckDB's: a repeated name (or one differing only in case) gets _1, _2
--   (rowsift: _2, _3), a blank one column<n> counted from 0 (rowsift: column_<n+1>; renamed so
--   for the columns the recipe declares), and a name starting with _rowsift_ is kept as it is
--   (rowsift renames it)

-- Unicode's full case mapping, as rowsift applies it: DuckDB's lower() and upper()
-- map one letter to one, so İ, a word-final Σ and the letters whose upper case is
-- several letters (ß → SS, ﬁ → FI) are spelled out first.
CREATE OR REPLACE MACRO rowsift_lower(s) AS
    CASE WHEN regexp_matches(s, '[İΣ]') THEN lower(regexp_replace(replace(s, 'İ', 'i̇'), '(\pL)Σ(\PL|$)', '\1ς\2', 'g')) ELSE lower(s) END;
CREATE OR REPLACE MACRO rowsift_upper(s) AS
    CASE WHEN NOT regexp_matches(s, '[ßŉǰΐΰևẖẗẘẙẚὐὒὔὖᾀᾁᾂᾃᾄᾅᾆᾇᾈᾉᾊᾋᾌᾍᾎᾏᾐᾑᾒᾓᾔᾕᾖᾗᾘᾙᾚᾛᾜᾝᾞᾟᾠᾡᾢᾣᾤᾥᾦᾧᾨᾩᾪᾫᾬᾭᾮᾯᾲᾳᾴᾶᾷᾼῂῃῄῆῇῌῒΐῖῗῢΰῤῦῧῲῳῴῶῷῼﬀﬁﬂﬃﬄﬅﬆﬓﬔﬕﬖﬗ]') THEN upper(s)
    ELSE upper(array_to_string(list_transform(
        string_split(s, ''),
        lambda letter: coalesce(MAP {
            'ß': 'SS', 'ŉ': 'ʼN', 'ǰ': 'J̌', 'ΐ': 'Ϊ́', 'ΰ': 'Ϋ́', 'և': 'ԵՒ', 'ẖ': 'H̱', 'ẗ': 'T̈',
            'ẘ': 'W̊', 'ẙ': 'Y̊', 'ẚ': 'Aʾ', 'ὐ': 'Υ̓', 'ὒ': 'Υ̓̀', 'ὔ': 'Υ̓́', 'ὖ': 'Υ̓͂', 'ᾀ': 'ἈΙ',
            'ᾁ': 'ἉΙ', 'ᾂ': 'ἊΙ', 'ᾃ': 'ἋΙ', 'ᾄ': 'ἌΙ', 'ᾅ': 'ἍΙ', 'ᾆ': 'ἎΙ', 'ᾇ': 'ἏΙ', 'ᾈ': 'ἈΙ',
            'ᾉ': 'ἉΙ', 'ᾊ': 'ἊΙ', 'ᾋ': 'ἋΙ', 'ᾌ': 'ἌΙ', 'ᾍ': 'ἍΙ', 'ᾎ': 'ἎΙ', 'ᾏ': 'ἏΙ', 'ᾐ': 'ἨΙ',
            'ᾑ': 'ἩΙ', 'ᾒ': 'ἪΙ', 'ᾓ': 'ἫΙ', 'ᾔ': 'ἬΙ', 'ᾕ': 'ἭΙ', 'ᾖ': 'ἮΙ', 'ᾗ': 'ἯΙ', 'ᾘ': 'ἨΙ',
            'ᾙ': 'ἩΙ', 'ᾚ': 'ἪΙ', 'ᾛ': 'ἫΙ', 'ᾜ': 'ἬΙ', 'ᾝ': 'ἭΙ', 'ᾞ': 'ἮΙ', 'ᾟ': 'ἯΙ', 'ᾠ': 'ὨΙ',
            'ᾡ': 'ὩΙ', 'ᾢ': 'ὪΙ', 'ᾣ': 'ὫΙ', 'ᾤ': 'ὬΙ', 'ᾥ': 'ὭΙ', 'ᾦ': 'ὮΙ', 'ᾧ': 'ὯΙ', 'ᾨ': 'ὨΙ',
            'ᾩ': 'ὩΙ', 'ᾪ': 'ὪΙ', 'ᾫ': 'ὫΙ', 'ᾬ': 'ὬΙ', 'ᾭ': 'ὭΙ', 'ᾮ': 'ὮΙ', 'ᾯ': 'ὯΙ', 'ᾲ': 'ᾺΙ',
            'ᾳ': 'ΑΙ', 'ᾴ': 'ΆΙ', 'ᾶ': 'Α͂', 'ᾷ': 'Α͂Ι', 'ᾼ': 'ΑΙ', 'ῂ': 'ῊΙ', 'ῃ': 'ΗΙ', 'ῄ': 'ΉΙ',
            'ῆ': 'Η͂', 'ῇ': 'Η͂Ι', 'ῌ': 'ΗΙ', 'ῒ': 'Ϊ̀', 'ΐ': 'Ϊ́', 'ῖ': 'Ι͂', 'ῗ': 'Ϊ͂', 'ῢ': 'Ϋ̀',
            'ΰ': 'Ϋ́', 'ῤ': 'Ρ̓', 'ῦ': 'Υ͂', 'ῧ': 'Ϋ͂', 'ῲ': 'ῺΙ', 'ῳ': 'ΩΙ', 'ῴ': 'ΏΙ', 'ῶ': 'Ω͂',
            'ῷ': 'Ω͂Ι', 'ῼ': 'ΩΙ', 'ﬀ': 'FF', 'ﬁ': 'FI', 'ﬂ': 'FL', 'ﬃ': 'FFI', 'ﬄ': 'FFL', 'ﬅ': 'ST',
            'ﬆ': 'ST', 'ﬓ': 'ՄՆ', 'ﬔ': 'ՄԵ', 'ﬕ': 'ՄԻ', 'ﬖ': 'ՎՆ', 'ﬗ': 'ՄԽ'
        }[letter], letter)
    ), '')) END;

-- The records as text (an empty field is '', never null; the source's null tokens
-- are applied later, as a transform), numbered in file order.
CREATE OR REPLACE VIEW rowsift_input AS
WITH written AS (
    SELECT * FROM read_csv(
        getvariable('rowsift_input'),
        header = true,
        delim = ',',
        quote = '"',
        escape = '"',
        skip = 0,
        all_varchar = true
    )
)
SELECT *, "_rowsift_row" + 1 + (
    -- the header's lines (a quoted name may hold line breaks)
    SELECT CAST(1 + coalesce(sum(length(column_name) - length(replace(column_name, chr(10), ''))), 0) AS BIGINT)
    FROM (DESCRIBE written)
) AS "_rowsift_line"
FROM (SELECT CAST(row_number() OVER () - 1 AS BIGINT) AS "_rowsift_row", coalesce(COLUMNS(*), '') FROM written);

-- Every declared column's text after its transforms, its typed value, and one flag per
-- rule: true where the row fails it. A null value passes every rule but not_null.
CREATE OR REPLACE VIEW rowsift_judged AS
WITH
transformed_1 AS (
    SELECT
        *,
        -- order_id: strip, upper
        rowsift_upper(trim(CASE WHEN NOT ("order_id" IN ('')) THEN "order_id" END, (' ' || chr(9) || chr(10) || chr(13) || chr(11) || chr(12) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)))) AS "_rowsift_text:order_id",
        -- customer_email: strip, lower
        rowsift_lower(trim(CASE WHEN NOT ("customer_email" IN ('')) THEN "customer_email" END, (' ' || chr(9) || chr(10) || chr(13) || chr(11) || chr(12) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)))) AS "_rowsift_text:customer_email",
        -- status: strip, lower, map
        rowsift_lower(trim(CASE WHEN NOT ("status" IN ('')) THEN "status" END, (' ' || chr(9) || chr(10) || chr(13) || chr(11) || chr(12) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)))) AS "_rowsift_step0:status",
        -- amount: strip, null_tokens
        trim(CASE WHEN NOT ("amount" IN ('')) THEN "amount" END, (' ' || chr(9) || chr(10) || chr(13) || chr(11) || chr(12) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288))) AS "_rowsift_step1:amount",
        -- quantity: no transforms
        CASE WHEN NOT ("quantity" IN ('')) THEN "quantity" END AS "_rowsift_text:quantity",
        -- created_at: no transforms
        CASE WHEN NOT ("created_at" IN ('')) THEN "created_at" END AS "_rowsift_text:created_at",
        -- shipped_at: no transforms
        CASE WHEN NOT ("shipped_at" IN ('')) THEN "shipped_at" END AS "_rowsift_text:shipped_at",
        -- country: strip, upper
        rowsift_upper(trim(CASE WHEN NOT ("country" IN ('')) THEN "country" END, (' ' || chr(9) || chr(10) || chr(13) || chr(11) || chr(12) || chr(133) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288)))) AS "_rowsift_text:country"
    FROM rowsift_input
),
transformed AS (
    SELECT
        *,
        CASE "_rowsift_step0:status" WHEN 'canceled' THEN 'cancelled' ELSE "_rowsift_step0:status" END AS "_rowsift_text:status",
        CASE WHEN NOT ("_rowsift_step1:amount" IN ('n/a')) THEN "_rowsift_step1:amount" END AS "_rowsift_text:amount"
    FROM transformed_1
),
typed AS (
    SELECT
        *,
        "_rowsift_text:order_id" AS "_rowsift_value:order_id",
        "_rowsift_text:customer_email" AS "_rowsift_value:customer_email",
        "_rowsift_text:status" AS "_rowsift_value:status",
        TRY_CAST((CASE WHEN regexp_matches("_rowsift_text:amount", '^[+-]?(?:0*[0-9]{1,10}(?:\.[0-9]{0,2})?|\.[0-9]{1,2})$') THEN "_rowsift_text:amount" END) AS DECIMAL(12, 2)) AS "_rowsift_value:amount",
        TRY_CAST((CASE WHEN regexp_matches("_rowsift_text:quantity", '^[+-]?[0-9]+$') THEN "_rowsift_text:quantity" END) AS BIGINT) AS "_rowsift_value:quantity",
        CAST(try_strptime((CASE WHEN regexp_matches("_rowsift_text:created_at", '^[0-9]{4}\-[0-9]{2}\-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$') THEN "_rowsift_text:created_at" END), '%Y-%m-%dT%H:%M:%S') AS TIMESTAMP) AS "_rowsift_value:created_at",
        CAST(try_strptime((CASE WHEN regexp_matches("_rowsift_text:shipped_at", '^[0-9]{4}\-[0-9]{2}\-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$') THEN "_rowsift_text:shipped_at" END), '%Y-%m-%dT%H:%M:%S') AS TIMESTAMP) AS "_rowsift_value:shipped_at",
        "_rowsift_text:country" AS "_rowsift_value:country"
    FROM transformed
),
flagged AS (
    SELECT
        *,
        -- order_id.not_null: a null value fails (the only rule that fails on null)
        "_rowsift_text:order_id" IS NULL AS "_rowsift_failed:order_id.not_null",
        -- order_id.matches: the pattern is searched in the value; a null passes
        "_rowsift_value:order_id" IS NOT NULL AND NOT coalesce(regexp_matches("_rowsift_value:order_id", '^ORD-[0-9]{8}\z'), true) AS "_rowsift_failed:order_id.matches",
        -- customer_email.matches: the pattern is searched in the value; a null passes
        "_rowsift_value:customer_email" IS NOT NULL AND NOT coalesce(regexp_matches("_rowsift_value:customer_email", '^[^@\t\n\x0B\f\r ]+@[^@\t\n\x0B\f\r ]+\.[a-z]{2,}\z'), true) AS "_rowsift_failed:customer_email.matches",
        -- status.not_null: a null value fails (the only rule that fails on null)
        "_rowsift_text:status" IS NULL AS "_rowsift_failed:status.not_null",
        -- status.in_set: the value is one of the listed values; a null passes
        "_rowsift_value:status" IS NOT NULL AND NOT coalesce("_rowsift_value:status" IN ('new', 'paid', 'shipped', 'delivered', 'cancelled'), true) AS "_rowsift_failed:status.in_set",
        -- amount.type: a value that does not parse as decimal fails
        "_rowsift_text:amount" IS NOT NULL AND "_rowsift_value:amount" IS NULL AS "_rowsift_failed:amount.type",
        -- amount.not_null: a null value fails (the only rule that fails on null)
        "_rowsift_text:amount" IS NULL AS "_rowsift_failed:amount.not_null",
        -- amount.between: the value lies in [0.0, 100000.0]; a null passes
        "_rowsift_value:amount" IS NOT NULL AND NOT coalesce("_rowsift_value:amount" >= CAST(0.0 AS DOUBLE) AND "_rowsift_value:amount" <= CAST(100000.0 AS DOUBLE), true) AS "_rowsift_failed:amount.between",
        -- quantity.type: a value that does not parse as int fails
        "_rowsift_text:quantity" IS NOT NULL AND "_rowsift_value:quantity" IS NULL AS "_rowsift_failed:quantity.type",
        -- quantity.not_null: a null value fails (the only rule that fails on null)
        "_rowsift_text:quantity" IS NULL AS "_rowsift_failed:quantity.not_null",
        -- quantity.between: the value lies in [1, 100]; a null passes
        "_rowsift_value:quantity" IS NOT NULL AND NOT coalesce("_rowsift_value:quantity" >= 1 AND "_rowsift_value:quantity" <= 100, true) AS "_rowsift_failed:quantity.between",
        -- created_at.type: a value that does not parse as datetime fails
        "_rowsift_text:created_at" IS NOT NULL AND "_rowsift_value:created_at" IS NULL AS "_rowsift_failed:created_at.type",
        -- created_at.not_null: a null value fails (the only rule that fails on null)
        "_rowsift_text:created_at" IS NULL AS "_rowsift_failed:created_at.not_null",
        -- shipped_at.type: a value that does not parse as datetime fails
        "_rowsift_text:shipped_at" IS NOT NULL AND "_rowsift_value:shipped_at" IS NULL AS "_rowsift_failed:shipped_at.type",
        -- shipped_at.compare: value >= created_at on the same row; a null on either side passes
        "_rowsift_value:shipped_at" IS NOT NULL AND NOT coalesce(("_rowsift_value:shipped_at" >= "_rowsift_value:created_at") OR "_rowsift_value:created_at" IS NULL, true) AS "_rowsift_failed:shipped_at.compare",
        -- country.not_null: a null value fails (the only rule that fails on null)
        "_rowsift_text:country" IS NULL AS "_rowsift_failed:country.not_null",
        -- country.matches: the pattern is searched in the value; a null passes
        "_rowsift_value:country" IS NOT NULL AND NOT coalesce(regexp_matches("_rowsift_value:country", '^[A-Z]{2}\z'), true) AS "_rowsift_failed:country.matches",
        -- order_id.unique: no two rows share the key; blame all_but_first (first = lowest row)
        coalesce(("_rowsift_value:order_id" IS NOT NULL) AND row_number() OVER (PARTITION BY "_rowsift_value:order_id" ORDER BY "_rowsift_row") > 1, false) AS "_rowsift_failed:order_id.unique",
        -- row.duplicate: rows equal on every key column, null equal to null; keep first
        coalesce(row_number() OVER (PARTITION BY "_rowsift_value:order_id", "_rowsift_value:customer_email", "_rowsift_value:status", "_rowsift_value:amount", "_rowsift_value:quantity", "_rowsift_value:created_at", "_rowsift_value:shipped_at", "_rowsift_value:country" ORDER BY "_rowsift_row") > 1, false) AS "_rowsift_failed:row.duplicate"
    FROM typed
)
SELECT *, "_rowsift_failed:order_id.not_null" OR "_rowsift_failed:order_id.matches" OR "_rowsift_failed:customer_email.matches" OR "_rowsift_failed:status.not_null" OR "_rowsift_failed:status.in_set" OR "_rowsift_failed:amount.type" OR "_rowsift_failed:amount.not_null" OR "_rowsift_failed:amount.between" OR "_rowsift_failed:quantity.type" OR "_rowsift_failed:quantity.not_null" OR "_rowsift_failed:quantity.between" OR "_rowsift_failed:created_at.type" OR "_rowsift_failed:created_at.not_null" OR "_rowsift_failed:shipped_at.type" OR "_rowsift_failed:shipped_at.compare" OR "_rowsift_failed:country.matches" OR "_rowsift_failed:order_id.unique" OR "_rowsift_failed:row.duplicate" AS "_rowsift_quarantined"
FROM flagged;

-- The rows that pass every error rule: declared columns transformed and typed, the
-- input's other columns as read.
CREATE OR REPLACE VIEW clean AS
SELECT
    "_rowsift_value:order_id" AS "order_id",
    "_rowsift_value:customer_email" AS "customer_email",
    "_rowsift_value:status" AS "status",
    "_rowsift_value:amount" AS "amount",
    "_rowsift_value:quantity" AS "quantity",
    "_rowsift_value:created_at" AS "created_at",
    "_rowsift_value:shipped_at" AS "shipped_at",
    "_rowsift_value:country" AS "country",
    * EXCLUDE ("order_id", "customer_email", "status", "amount", "quantity", "created_at", "shipped_at", "country", "_rowsift_row", "_rowsift_line", "_rowsift_step0:status", "_rowsift_step1:amount", "_rowsift_text:order_id", "_rowsift_text:customer_email", "_rowsift_text:status", "_rowsift_text:amount", "_rowsift_text:quantity", "_rowsift_text:created_at", "_rowsift_text:shipped_at", "_rowsift_text:country", "_rowsift_value:order_id", "_rowsift_value:customer_email", "_rowsift_value:status", "_rowsift_value:amount", "_rowsift_value:quantity", "_rowsift_value:created_at", "_rowsift_value:shipped_at", "_rowsift_value:country", "_rowsift_failed:order_id.not_null", "_rowsift_failed:order_id.matches", "_rowsift_failed:customer_email.matches", "_rowsift_failed:status.not_null", "_rowsift_failed:status.in_set", "_rowsift_failed:amount.type", "_rowsift_failed:amount.not_null", "_rowsift_failed:amount.between", "_rowsift_failed:quantity.type", "_rowsift_failed:quantity.not_null", "_rowsift_failed:quantity.between", "_rowsift_failed:created_at.type", "_rowsift_failed:created_at.not_null", "_rowsift_failed:shipped_at.type", "_rowsift_failed:shipped_at.compare", "_rowsift_failed:country.not_null", "_rowsift_failed:country.matches", "_rowsift_failed:order_id.unique", "_rowsift_failed:row.duplicate", "_rowsift_quarantined"),
    "_rowsift_row",
    "_rowsift_line"
FROM rowsift_judged
WHERE NOT "_rowsift_quarantined"
ORDER BY "_rowsift_row";

-- The other rows, with their values as read and the error rules they fail.
CREATE OR REPLACE VIEW quarantine AS
SELECT
    "_rowsift_row",
    "_rowsift_line",
    [reason FOR reason IN [
        CASE WHEN "_rowsift_failed:order_id.not_null" THEN 'order_id.not_null' END,
        CASE WHEN "_rowsift_failed:order_id.matches" THEN 'order_id.matches' END,
        CASE WHEN "_rowsift_failed:customer_email.matches" THEN 'customer_email.matches' END,
        CASE WHEN "_rowsift_failed:status.not_null" THEN 'status.not_null' END,
        CASE WHEN "_rowsift_failed:status.in_set" THEN 'status.in_set' END,
        CASE WHEN "_rowsift_failed:amount.type" THEN 'amount.type' END,
        CASE WHEN "_rowsift_failed:amount.not_null" THEN 'amount.not_null' END,
        CASE WHEN "_rowsift_failed:amount.between" THEN 'amount.between' END,
        CASE WHEN "_rowsift_failed:quantity.type" THEN 'quantity.type' END,
        CASE WHEN "_rowsift_failed:quantity.not_null" THEN 'quantity.not_null' END,
        CASE WHEN "_rowsift_failed:quantity.between" THEN 'quantity.between' END,
        CASE WHEN "_rowsift_failed:created_at.type" THEN 'created_at.type' END,
        CASE WHEN "_rowsift_failed:created_at.not_null" THEN 'created_at.not_null' END,
        CASE WHEN "_rowsift_failed:shipped_at.type" THEN 'shipped_at.type' END,
        CASE WHEN "_rowsift_failed:shipped_at.compare" THEN 'shipped_at.compare' END,
        CASE WHEN "_rowsift_failed:country.matches" THEN 'country.matches' END,
        CASE WHEN "_rowsift_failed:order_id.unique" THEN 'order_id.unique' END,
        CASE WHEN "_rowsift_failed:row.duplicate" THEN 'row.duplicate' END
    ] IF reason IS NOT NULL] AS "_rowsift_reasons",
    * EXCLUDE ("_rowsift_row", "_rowsift_line", "_rowsift_step0:status", "_rowsift_step1:amount", "_rowsift_text:order_id", "_rowsift_text:customer_email", "_rowsift_text:status", "_rowsift_text:amount", "_rowsift_text:quantity", "_rowsift_text:created_at", "_rowsift_text:shipped_at", "_rowsift_text:country", "_rowsift_value:order_id", "_rowsift_value:customer_email", "_rowsift_value:status", "_rowsift_value:amount", "_rowsift_value:quantity", "_rowsift_value:created_at", "_rowsift_value:shipped_at", "_rowsift_value:country", "_rowsift_failed:order_id.not_null", "_rowsift_failed:order_id.matches", "_rowsift_failed:customer_email.matches", "_rowsift_failed:status.not_null", "_rowsift_failed:status.in_set", "_rowsift_failed:amount.type", "_rowsift_failed:amount.not_null", "_rowsift_failed:amount.between", "_rowsift_failed:quantity.type", "_rowsift_failed:quantity.not_null", "_rowsift_failed:quantity.between", "_rowsift_failed:created_at.type", "_rowsift_failed:created_at.not_null", "_rowsift_failed:shipped_at.type", "_rowsift_failed:shipped_at.compare", "_rowsift_failed:country.not_null", "_rowsift_failed:country.matches", "_rowsift_failed:order_id.unique", "_rowsift_failed:row.duplicate", "_rowsift_quarantined"),
    -- rowsift's reader keeps the raw text of records it could not split here
    CAST(NULL AS VARCHAR) AS "_rowsift_raw",
    CAST(NULL AS VARCHAR[]) AS "_rowsift_fields"
FROM rowsift_judged
WHERE "_rowsift_quarantined"
ORDER BY "_rowsift_row";

-- The dataset rules, judged on the counts: the run fails when a rule of severity
-- error did not pass.
CREATE OR REPLACE VIEW rowsift_dataset AS
WITH counts AS (
    SELECT CAST(count(*) AS DOUBLE) AS rows_in, CAST(coalesce(count_if("_rowsift_quarantined"), 0) AS DOUBLE) AS rows_quarantined, CAST(coalesce(count_if("_rowsift_text:country" IS NULL), 0) AS DOUBLE) AS "nulls:country", CAST(coalesce(count_if("_rowsift_text:customer_email" IS NULL), 0) AS DOUBLE) AS "nulls:customer_email"
    FROM rowsift_judged
)
SELECT 'dataset.row_count' AS rule_id, 'error' AS severity, observed, observed >= 1000 AS passed
FROM (SELECT CAST(rows_in AS DOUBLE) AS observed FROM counts)
UNION ALL
SELECT 'dataset.quarantine_rate' AS rule_id, 'error' AS severity, observed, observed <= 0.12 AS passed
FROM (SELECT CASE WHEN rows_in = 0 THEN 0.0 ELSE rows_quarantined / rows_in END AS observed FROM counts)
UNION ALL
SELECT 'dataset.null_rate.customer_email' AS rule_id, 'warn' AS severity, observed, observed <= 0.02 AS passed
FROM (SELECT CASE WHEN rows_in = 0 THEN 0.0 ELSE "nulls:customer_email" / rows_in END AS observed FROM counts)
UNION ALL
SELECT 'dataset.null_rate.country' AS rule_id, 'warn' AS severity, observed, observed <= 0.02 AS passed
FROM (SELECT CASE WHEN rows_in = 0 THEN 0.0 ELSE "nulls:country" / rows_in END AS observed FROM counts);
