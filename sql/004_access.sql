-- 004: rights and audit. Roles come from the host's departments (see crm-plugin/core/access);
-- these tables keep what an administrator may change: per-role rights on event kinds, explicit
-- role mappings of users (external clients), restricted projects with their named
-- participants, soft-deleted user events, and the audit log.
-- One statement per ';' line end; no PSQL bodies here (the runner splits on ';').

-- Rights per role on a kind pattern: an exact code ("note.customer"), a prefix ("payment.*") or
-- "*". The most specific pattern of a role decides; a user with several roles gets the union.
-- MAY_EDIT / MAY_DELETE: 0 never, 1 own entries only (author), 2 anyone's. Edit and delete
-- apply to events people entered (user events); host events are never changed.
CREATE TABLE CRM_ACCESS_RIGHT (
    ROLE_CODE        VARCHAR(32)  NOT NULL,
    KIND_PATTERN     VARCHAR(64)  NOT NULL,
    MAY_SEE          SMALLINT     NOT NULL,
    MAY_SEE_DETAILS  SMALLINT     NOT NULL,
    MAY_CREATE       SMALLINT     NOT NULL,
    MAY_EDIT         SMALLINT     NOT NULL,
    MAY_DELETE       SMALLINT     NOT NULL,
    CONSTRAINT PK_CRM_ACCESS_RIGHT PRIMARY KEY (ROLE_CODE, KIND_PATTERN)
);

-- Explicit roles of a user, on top of (or, with REPLACES_DEPARTMENT = 1, instead of) the role of
-- their department. An external client is mapped to the counterparty whose events they see.
CREATE TABLE CRM_ACCESS_USER_ROLE (
    USER_ID          BIGINT       NOT NULL,
    ROLE_CODE        VARCHAR(32)  NOT NULL,
    COUNTERPARTY_ID  BIGINT,
    REPLACES_DEPARTMENT SMALLINT  NOT NULL,
    CONSTRAINT PK_CRM_ACCESS_USER_ROLE PRIMARY KEY (USER_ID, ROLE_CODE)
);

-- A restricted project's events are seen by its participants only (manager and measurer from
-- the host's directory, the users named here) and by management and administrators.
CREATE TABLE CRM_ACCESS_PROJECT (
    PROJECT_ID       BIGINT       NOT NULL,
    RESTRICTED       SMALLINT     NOT NULL,
    CONSTRAINT PK_CRM_ACCESS_PROJECT PRIMARY KEY (PROJECT_ID)
);

CREATE TABLE CRM_ACCESS_PROJECT_MEMBER (
    PROJECT_ID       BIGINT       NOT NULL,
    USER_ID          BIGINT       NOT NULL,
    CONSTRAINT PK_CRM_ACCESS_PROJECT_MEMBER PRIMARY KEY (PROJECT_ID, USER_ID)
);

-- A deleted user event stays in the table (the audit log keeps its old values) and leaves every
-- feed, event and summary query.
ALTER TABLE CRM_EVENT ADD DELETED_AT TIMESTAMP;
ALTER TABLE CRM_EVENT ADD DELETED_BY BIGINT;

-- Who created, changed or deleted which user event, rule or right, and when, with the values
-- before and after as JSON. OBJECT_ID is text: an event's idempotency key, a rule id, a right's
-- "role/pattern".
CREATE SEQUENCE CRM_AUDIT_SEQ;

CREATE TABLE CRM_AUDIT (
    ID               BIGINT        NOT NULL,
    AT_TIME          TIMESTAMP     NOT NULL,
    ACTOR_ID         BIGINT        NOT NULL,
    OBJECT_TYPE      VARCHAR(32)   NOT NULL,
    OBJECT_ID        VARCHAR(250)  NOT NULL,
    ACTION_CODE      VARCHAR(32)   NOT NULL,
    OLD_VALUE        BLOB SUB_TYPE TEXT,
    NEW_VALUE        BLOB SUB_TYPE TEXT,
    CONSTRAINT PK_CRM_AUDIT PRIMARY KEY (ID)
);

CREATE DESCENDING INDEX CRM_AUDIT_OBJECT ON CRM_AUDIT (OBJECT_TYPE, OBJECT_ID, ID);
CREATE DESCENDING INDEX CRM_AUDIT_ACTOR ON CRM_AUDIT (ACTOR_ID, ID);

-- Defaults of a production company (changeable through AccessControl::setRight).
INSERT INTO CRM_ACCESS_RIGHT VALUES ('dispatcher', '*', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('dispatcher', 'payment.*', 1, 0, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('dispatcher', 'note.*', 1, 1, 1, 1, 1);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('project_manager', '*', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('project_manager', 'note.*', 1, 1, 1, 1, 1);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('planner', '*', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('planner', 'payment.*', 1, 0, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('planner', 'note.project', 1, 1, 1, 1, 1);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('finance', '*', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('finance', 'payment.*', 1, 1, 1, 2, 2);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('finance', 'note.customer', 1, 1, 1, 1, 1);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('orders', '*', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('orders', 'note.customer', 1, 1, 1, 1, 1);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('orders', 'note.project', 1, 1, 1, 1, 1);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('measurer', '*', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('measurer', 'payment.*', 1, 0, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('measurer', 'note.measurement', 1, 1, 1, 1, 1);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('measurer', 'note.project', 1, 1, 1, 1, 1);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('sales', '*', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('sales', 'note.customer', 1, 1, 1, 1, 1);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('management', '*', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('management', 'note.*', 1, 1, 1, 1, 2);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('admin', '*', 1, 1, 1, 2, 2);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('client', '*', 0, 0, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('client', 'schedule.installation_planned', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('client', 'schedule.stage_finished', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('client', 'warehouse.fg_received', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('client', 'payment.*', 1, 1, 0, 0, 0);
INSERT INTO CRM_ACCESS_RIGHT VALUES ('client', 'payment.overdue', 0, 0, 0, 0, 0);
