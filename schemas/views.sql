-- Read-side views over the store: what `vnplans compare`, `vnplans audit`, `vnplans export` and the
-- Datasette canned queries all select from, so that the three agree. Recreated whenever this file changes.
-- A plan stored in two files (a .txt and a .docx: the same number, issuer and date) is counted once: the views
-- leave out the documents whose duplicate_of names the rendition that is counted.

DROP VIEW IF EXISTS commitment_matrix;  -- dependents first
DROP VIEW IF EXISTS commitments;
DROP VIEW IF EXISTS items;
DROP VIEW IF EXISTS agency_items;

-- One row per quantified target, with its plan, province (then and since the 2025 merger) and canonical metric.
--   restated: 1 for a second copy of the same commitment (the plan stored as text and as PDF, a target an
--             appendix restates); counting commitments, leave these out
--   latest:   1 for a province's most recent commitment on a metric, per unit and level: the one of its most
--             recent plan, then the furthest target year (national targets a plan restates are never latest).
--             `vnplans compare` and its spread use this flag.
CREATE VIEW commitments AS
WITH base AS (
  SELECT t.id AS target_id, d.province, t.metric_id, t.comparator, t.value, t.value_max, t.unit, t.year, t.scope,
         t.quote, d.doc_type, coalesce(d.doc_number, d.doc_number_raw) AS doc_number,
         coalesce(d.issued_date, d.issued_month) AS plan_date, m.name AS metric_name, t.metric AS metric_printed,
         m.dti_code, d.province_code, d.province_successor, d.province_successor_code, d.issued_date,
         t.doc_id, d.source, t.link_method, t.link_score, t.row_id, t.ocr, t.line, t.page, t.start, t."end"
  FROM targets t
  JOIN documents d ON d.id = t.doc_id AND d.duplicate_of IS NULL  -- a plan stored in two files counts once
  LEFT JOIN metrics m ON m.id = t.metric_id
), copies AS (
  SELECT base.*, row_number() OVER (PARTITION BY metric_id, province, doc_number, plan_date, comparator, value,
                                                 value_max, unit, year, scope ORDER BY target_id) > 1 AS restated
  FROM base
), eligible AS (
  SELECT copies.*, (metric_id IS NOT NULL AND NOT restated AND (scope IS NULL OR scope <> 'national')) AS counted
  FROM copies
)
SELECT target_id, province, metric_id, comparator, value, value_max, unit, year, scope, quote, doc_type, doc_number,
       plan_date, metric_name, metric_printed, dti_code, province_code, province_successor, province_successor_code,
       issued_date, doc_id, source, link_method, link_score, row_id, ocr, line, page, start, "end", restated,
       CASE WHEN counted AND row_number() OVER (
              PARTITION BY counted, metric_id, unit, scope, province
              ORDER BY coalesce(plan_date, '') DESC, coalesce(year, 0) DESC, target_id DESC) = 1
            THEN 1 ELSE 0 END AS latest
FROM eligible;

-- One row per table row or prose task, with its lead / coordinating agencies summarised and the state of
-- its responsibility (lead_state) and deadline (deadline_state) that the audit reports on.
--   lead_state: heading | none | collective (every lead is a collective such as "các sở, ban, ngành") | several | single
--   deadline_state: heading | none | vague (printed but no date: "Hàng năm", "Thường xuyên", "Theo kế hoạch ...") | dated
--   heading: 1 for a row that is the heading of a DTI pillar ("2 Thể chế số"): nothing to assign there
CREATE VIEW items AS
WITH lead AS (
  SELECT x.row_id,
         count(DISTINCT coalesce(x.canonical_id, 'printed:' || x.agency_id)) AS n_leads,
         count(DISTINCT CASE WHEN c.collective = 1 THEN x.canonical_id END) AS n_collective,
         group_concat(coalesce(c.name, a.name), '; ') AS leads,
         group_concat(coalesce(x.canonical_id, '?'), ',') AS lead_ids
  FROM assignments x JOIN agencies a ON a.id = x.agency_id LEFT JOIN canonical_agencies c ON c.id = x.canonical_id
  WHERE x.role = 'lead' GROUP BY x.row_id
), other AS (
  SELECT x.row_id,
         group_concat(CASE WHEN x.role = 'coordinate' THEN coalesce(c.name, a.name) END, '; ') AS coordinators,
         group_concat(CASE WHEN x.role = 'monitor' THEN coalesce(c.name, a.name) END, '; ') AS monitors
  FROM assignments x JOIN agencies a ON a.id = x.agency_id LEFT JOIN canonical_agencies c ON c.id = x.canonical_id
  WHERE x.role <> 'lead' GROUP BY x.row_id
), heading AS (
  SELECT id AS row_id, CASE WHEN indicator_code IS NOT NULL AND instr(indicator_code, '.') = 0 AND link_method = 'code'
                            THEN 1 ELSE 0 END AS is_heading
  FROM rows
)
SELECT r.id AS row_id, d.province, coalesce(d.doc_number, d.doc_number_raw) AS doc_number, r.stt, r.text,
       CASE WHEN heading.is_heading THEN 'heading' WHEN lead.n_leads IS NULL THEN 'none'
            WHEN lead.n_collective = lead.n_leads THEN 'collective'
            WHEN lead.n_leads > 1 THEN 'several' ELSE 'single' END AS lead_state,
       lead.leads, other.coordinators, other.monitors,
       CASE WHEN heading.is_heading THEN 'heading' WHEN r.deadline_end IS NOT NULL THEN 'dated'
            WHEN r.deadline_raw IS NOT NULL OR r.recurrence IS NOT NULL THEN 'vague'
            ELSE 'none' END AS deadline_state,
       r.deadline_raw, r.deadline_start, r.deadline_end, r.recurrence,
       r.kind, r.origin, r.table_name, r.grp, r.indicator_code, r.catalog, r.metric_id, r.link_method,
       heading.is_heading AS heading, coalesce(lead.n_leads, 0) AS n_leads, lead.lead_ids,
       d.doc_type, d.issued_date, coalesce(d.issued_date, d.issued_month) AS plan_date, d.province_successor,
       r.doc_id, d.source, r.idx, r.ocr, r.line, r.page, r.start, r."end"
FROM rows r
JOIN documents d ON d.id = r.doc_id AND d.duplicate_of IS NULL
LEFT JOIN lead ON lead.row_id = r.id
LEFT JOIN other ON other.row_id = r.id
JOIN heading ON heading.row_id = r.id;

-- One row per agency per role per item, the agency both as printed and as the registry knows it,
-- then and today (current_id follows the 2025 successor chain).
--   due_end, due_year: the item's deadline: the printed one, else (due_from = 'inherited') the period its table or
--   section states ("Kế hoạch ... năm 2025"); a question such as "what does Sở Tài chính lead that is due in 2025"
--   is answered on due_year, and due_from says which kind each answer is.
CREATE VIEW agency_items AS
SELECT x.id AS assignment_id, d.province, coalesce(d.doc_number, d.doc_number_raw) AS doc_number,
       c.name AS agency, x.role, r.stt, r.text AS item, r.deadline_raw, r.deadline_end, cur.name AS agency_today,
       x.printed, x.holder, a.name AS agency_printed, x.canonical_id, c.kind AS agency_kind, c.collective,
       c.current_id, x.agency_province, x.qualifier, x.link_method, x.link_score, x.position,
       r.id AS row_id, r.kind AS item_kind, r.origin, r.indicator_code, r.metric_id, r.recurrence,
       d.issued_date, d.province_successor, x.doc_id, d.source, r.line, r.page,
       coalesce(r.deadline_end, r.inherited_end) AS due_end,
       CAST(substr(coalesce(r.deadline_end, r.inherited_end), 1, 4) AS INTEGER) AS due_year,
       CASE WHEN r.deadline_end IS NOT NULL THEN 'printed' WHEN r.inherited_end IS NOT NULL THEN 'inherited' END AS due_from,
       r.inherited_from
FROM assignments x
JOIN agencies a ON a.id = x.agency_id
JOIN rows r ON r.id = x.row_id
JOIN documents d ON d.id = x.doc_id AND d.duplicate_of IS NULL
LEFT JOIN canonical_agencies c ON c.id = x.canonical_id
LEFT JOIN canonical_agencies cur ON cur.id = c.current_id;

-- The long-form numeric matrix: each province's latest commitment per metric (unit and level), one row each,
-- ready to pivot: province, metric, year, comparator, value (value_max for a range), unit.
CREATE VIEW commitment_matrix AS
SELECT province, province_code, province_successor, metric_id AS metric, metric_name, year, comparator, value,
       value_max, unit, scope, doc_number, plan_date, target_id
FROM commitments
WHERE latest = 1
ORDER BY metric_id, province, unit, scope;
