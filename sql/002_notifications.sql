-- 002: notifications. Rules, the transactional outbox (rows written in the event writer's
-- transaction), and the marks of the time-driven schedulers (reminders, digests).
-- Lists in rule columns are comma-separated codes/ids (a rule has a handful of each; the core's
-- RuleStore is the only reader and writer). Times are UTC.

CREATE SEQUENCE CRM_NOTIFY_RULE_SEQ;

CREATE TABLE CRM_NOTIFY_RULE (
    ID              BIGINT        NOT NULL,
    NAME            VARCHAR(200)  NOT NULL,
    KIND_PATTERNS   VARCHAR(1000) NOT NULL,
    SCOPE_PROJECTS  VARCHAR(1000),
    SCOPE_COUNTERPARTIES VARCHAR(1000),
    RECIPIENTS      VARCHAR(1000) NOT NULL,
    TIMING          VARCHAR(16)   NOT NULL,
    OFFSETS_MIN     VARCHAR(200),
    DIGEST_HOUR     SMALLINT      NOT NULL,
    ATTACH_FILES    SMALLINT      NOT NULL,
    ENABLED         SMALLINT      NOT NULL,
    SEED_KEY        VARCHAR(64),
    CREATED_AT      TIMESTAMP     NOT NULL,
    UPDATED_AT      TIMESTAMP     NOT NULL,
    CONSTRAINT PK_CRM_NOTIFY_RULE PRIMARY KEY (ID),
    CONSTRAINT UQ_CRM_NOTIFY_RULE_SEED UNIQUE (SEED_KEY)
);

-- Scheduler marks and one-time flags ("defaults.seeded", "reminders.mark", "digest.<rule>").
CREATE TABLE CRM_NOTIFY_STATE (
    NAME        VARCHAR(64)  NOT NULL,
    VALUE_TIME  TIMESTAMP,
    CONSTRAINT PK_CRM_NOTIFY_STATE PRIMARY KEY (NAME)
);

CREATE SEQUENCE CRM_NOTIFICATION_SEQ;

-- One row per (event, rule, offset, address): DEDUPE_KEY is the SHA-256 of exactly that, the
-- address lowercased. Digest rows have no event; their items point at them through DIGEST_ID.
CREATE TABLE CRM_NOTIFICATION (
    ID              BIGINT        NOT NULL,
    DEDUPE_KEY      VARCHAR(64) CHARACTER SET ASCII NOT NULL,
    EVENT_ID        BIGINT,
    RULE_ID         BIGINT        NOT NULL,
    TIMING          VARCHAR(16)   NOT NULL,
    OFFSET_MIN      INTEGER       NOT NULL,
    ADDRESS         VARCHAR(254)  NOT NULL,
    DISPLAY_NAME    VARCHAR(200),
    LANG            VARCHAR(8)    NOT NULL,
    EXTERNAL_RCPT   SMALLINT      NOT NULL,
    USER_ID         BIGINT,
    COUNTERPARTY_ID BIGINT,
    STATUS          VARCHAR(12)   NOT NULL,
    ATTEMPTS        SMALLINT      NOT NULL,
    LATE            SMALLINT      NOT NULL,
    CREATED_AT      TIMESTAMP     NOT NULL,
    NEXT_ATTEMPT_AT TIMESTAMP     NOT NULL,
    FIRE_AT         TIMESTAMP,
    CLAIMED_BY      VARCHAR(100),
    CLAIMED_AT      TIMESTAMP,
    SENT_AT         TIMESTAMP,
    MESSAGE_ID      VARCHAR(250),
    LAST_ERROR      VARCHAR(1000),
    DIGEST_ID       BIGINT,
    CONSTRAINT PK_CRM_NOTIFICATION PRIMARY KEY (ID),
    CONSTRAINT UQ_CRM_NOTIFICATION_DEDUPE UNIQUE (DEDUPE_KEY)
);

-- The sender's question: what is due now. The digest's: what waits for this rule.
CREATE INDEX CRM_NOTIFICATION_DUE ON CRM_NOTIFICATION (STATUS, NEXT_ATTEMPT_AT);
CREATE INDEX CRM_NOTIFICATION_RULE ON CRM_NOTIFICATION (RULE_ID, STATUS);
CREATE INDEX CRM_NOTIFICATION_EVENT ON CRM_NOTIFICATION (EVENT_ID);
CREATE INDEX CRM_NOTIFICATION_DIGEST ON CRM_NOTIFICATION (DIGEST_ID);

-- Reminders scan events by due time in a window (keyset on DUE_AT, ID).
CREATE INDEX CRM_EVENT_DUE ON CRM_EVENT (DUE_AT, ID);
