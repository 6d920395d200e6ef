-- 001: the event store. Events, and attachment content stored once per SHA-256.
-- Times are UTC. Money is BIGINT minor units. Kinds are dotted codes from the kind registry
-- in code (crm-plugin/core/domain/event_kind.hpp), so new kinds need no migration.
-- One statement per ';' line end; no PSQL bodies here (the runner splits on ';').
-- Text columns are kept short on purpose: Firebird handles a row at its declared width (message
-- buffers, record compression), so VARCHAR(8000) bodies cost 3x on insert and read. A longer
-- body is stored whole as a "body.txt" attachment; the column keeps its beginning.

CREATE SEQUENCE CRM_EVENT_SEQ;

CREATE TABLE CRM_EVENT (
    ID                BIGINT        NOT NULL,
    IDEMPOTENCY_KEY   VARCHAR(250)  NOT NULL,
    OCCURRED_AT       TIMESTAMP     NOT NULL,
    RECORDED_AT       TIMESTAMP     NOT NULL,
    KIND              VARCHAR(64)   NOT NULL,
    SOURCE_MODULE     VARCHAR(64),
    AUTHOR_ID         BIGINT,
    PROJECT_ID        BIGINT,
    COUNTERPARTY_ID   BIGINT,
    IMPORTANCE        SMALLINT      NOT NULL,
    TITLE             VARCHAR(300)  NOT NULL,
    BODY              VARCHAR(1000),
    AMOUNT_MINOR      BIGINT,
    CURRENCY          VARCHAR(3),
    CREW_ID           BIGINT,
    CREW_NAME         VARCHAR(100),
    STAGE             VARCHAR(50),
    START_DATE        DATE,
    END_DATE          DATE,
    INVOICE_NUMBER    VARCHAR(60),
    DUE_AT            TIMESTAMP,
    EXTRA             VARCHAR(1000),
    ATTACHMENT_COUNT  SMALLINT      NOT NULL,
    CONSTRAINT PK_CRM_EVENT PRIMARY KEY (ID),
    CONSTRAINT UQ_CRM_EVENT_KEY UNIQUE (IDEMPOTENCY_KEY)
);

-- Feeds are newest first and Firebird indices run one way: every feed index is DESCENDING and
-- ends in (OCCURRED_AT, ID), the keyset cursor, so a page is an index range walk of ~100 keys.
CREATE DESCENDING INDEX CRM_EVENT_FEED ON CRM_EVENT (OCCURRED_AT, ID);
CREATE DESCENDING INDEX CRM_EVENT_PROJECT ON CRM_EVENT (PROJECT_ID, OCCURRED_AT, ID);
CREATE DESCENDING INDEX CRM_EVENT_COUNTERPARTY ON CRM_EVENT (COUNTERPARTY_ID, OCCURRED_AT, ID);
CREATE DESCENDING INDEX CRM_EVENT_KIND ON CRM_EVENT (KIND, OCCURRED_AT, ID);
CREATE DESCENDING INDEX CRM_EVENT_AUTHOR ON CRM_EVENT (AUTHOR_ID, OCCURRED_AT, ID);

CREATE TABLE CRM_ATTACHMENT_CONTENT (
    SHA256      VARCHAR(64) CHARACTER SET ASCII NOT NULL,
    SIZE_BYTES  BIGINT NOT NULL,
    CONTENT     BLOB SUB_TYPE BINARY NOT NULL,
    CONSTRAINT PK_CRM_ATTACHMENT_CONTENT PRIMARY KEY (SHA256)
);

CREATE TABLE CRM_EVENT_ATTACHMENT (
    EVENT_ID    BIGINT        NOT NULL,
    ATTACHMENT_NO SMALLINT    NOT NULL,
    FILE_NAME   VARCHAR(255)  NOT NULL,
    MEDIA_TYPE  VARCHAR(127)  NOT NULL,
    SIZE_BYTES  BIGINT        NOT NULL,
    SHA256      VARCHAR(64) CHARACTER SET ASCII NOT NULL,
    CONSTRAINT PK_CRM_EVENT_ATTACHMENT PRIMARY KEY (EVENT_ID, ATTACHMENT_NO),
    CONSTRAINT FK_CRM_EVENT_ATTACHMENT_EVENT FOREIGN KEY (EVENT_ID) REFERENCES CRM_EVENT (ID),
    CONSTRAINT FK_CRM_EVENT_ATTACHMENT_CONTENT FOREIGN KEY (SHA256) REFERENCES CRM_ATTACHMENT_CONTENT (SHA256)
);
