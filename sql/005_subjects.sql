-- 006: subjects of events beyond their project and counterparty (a company, a person, a task, a
-- tender, a request, a mailing, ...): one row per (event, subject). Project and counterparty
-- stay columns of CRM_EVENT with their own feed indices; nothing is copied here for them.
-- SUBJECT_TYPE is a stable lowercase code from the subject registry in code
-- (crm-plugin/timeline/include/conduit/crm/timeline/subject.hpp), so new types need no migration.
-- OCCURRED_AT repeats the event's (events never change it) so a subject's feed page is one walk
-- of the DESCENDING index below, like CRM_EVENT_PROJECT, with no sort of the subject's events.

CREATE TABLE CRM_EVENT_SUBJECT (
    EVENT_ID      BIGINT       NOT NULL,
    SUBJECT_TYPE  VARCHAR(32) CHARACTER SET ASCII NOT NULL,
    SUBJECT_ID    BIGINT       NOT NULL,
    OCCURRED_AT   TIMESTAMP    NOT NULL,
    CONSTRAINT PK_CRM_EVENT_SUBJECT PRIMARY KEY (EVENT_ID, SUBJECT_TYPE, SUBJECT_ID)
);
-- No foreign key to CRM_EVENT: its index would repeat the primary key's first column on every
-- link row, and the writer adds links only in the transaction of their events (never deleted).

-- Newest first per subject, ending in the keyset cursor (OCCURRED_AT, EVENT_ID).
CREATE DESCENDING INDEX CRM_EVENT_SUBJECT_FEED ON CRM_EVENT_SUBJECT (SUBJECT_TYPE, SUBJECT_ID, OCCURRED_AT, EVENT_ID);

-- How many link rows an event has, as ATTACHMENT_COUNT for attachments: a page loads links only
-- for the events that have some. Older rows read NULL (none); adding the column rewrites nothing.
ALTER TABLE CRM_EVENT ADD SUBJECT_COUNT SMALLINT;
