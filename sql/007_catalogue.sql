-- 007: the CRM's own catalogue of companies and people. A party is one row whose whole record
-- (names, tax ids, addresses, phones, e-mails, dates, custom fields) is a JSON document, so a
-- field added later needs no migration; what is searched, sorted or grouped by is repeated in
-- columns and in CRM_PARTY_KEY, written in the same transaction as the document.

CREATE SEQUENCE CRM_PARTY_SEQ;

-- KIND: 'C' company (or branch, PARENT_ID set), 'P' person. ROLES: a bit per role (customer,
-- prospect, partner, installer, supplier, competitor). STATE: 0 active, 1 merged into
-- MERGED_INTO, 2 removed in the host (kept: events still point at it). HOST_ID: the host's
-- counterparty this party is (its host fields are read-only in the CRM). PRIVATE: 1 when only
-- its owner (and management) may see it. PHOTO: a person's photo or a company's logo.
CREATE TABLE CRM_PARTY (
    ID           BIGINT       NOT NULL,
    KIND         CHAR(1) CHARACTER SET ASCII NOT NULL,
    NAME         VARCHAR(300) CHARACTER SET UTF8 NOT NULL,
    NAME_FOLD    VARCHAR(200) CHARACTER SET UTF8 NOT NULL,
    ROLES        INTEGER      NOT NULL,
    OWNER_ID     BIGINT,
    REGION       VARCHAR(100) CHARACTER SET UTF8,
    INDUSTRY     VARCHAR(100) CHARACTER SET UTF8,
    CATEGORY     VARCHAR(100) CHARACTER SET UTF8,
    COUNTRY      CHAR(2) CHARACTER SET ASCII,
    PARENT_ID    BIGINT,
    HOST_ID      BIGINT,
    PRIVATE      SMALLINT     NOT NULL,
    STATE        SMALLINT     NOT NULL,
    MERGED_INTO  BIGINT,
    VERSION      INTEGER      NOT NULL,
    CREATED_AT   TIMESTAMP    NOT NULL,
    CHANGED_AT   TIMESTAMP    NOT NULL,
    DOC          BLOB SUB_TYPE TEXT CHARACTER SET UTF8 NOT NULL,
    PHOTO        BLOB SUB_TYPE BINARY,
    CONSTRAINT PK_CRM_PARTY PRIMARY KEY (ID)
);
CREATE INDEX CRM_PARTY_NAME ON CRM_PARTY (NAME_FOLD, ID);
CREATE UNIQUE INDEX CRM_PARTY_HOST ON CRM_PARTY (HOST_ID);
CREATE INDEX CRM_PARTY_OWNER ON CRM_PARTY (OWNER_ID);
CREATE INDEX CRM_PARTY_REGION ON CRM_PARTY (REGION);
CREATE INDEX CRM_PARTY_CATEGORY ON CRM_PARTY (CATEGORY);
CREATE INDEX CRM_PARTY_PARENT ON CRM_PARTY (PARENT_ID);

-- What a party is found by: KEY_TYPE 'word' (a folded word of a name), 'phone' (E.164 digits and
-- the national number), 'email', 'tax' (kind:digits), 'tag', and the duplicate keys 'name' and
-- 'loose' (match_key.hpp, prefixed by the kind). A search or duplicate check is an index walk.
CREATE TABLE CRM_PARTY_KEY (
    KEY_TYPE   VARCHAR(8)   CHARACTER SET ASCII NOT NULL,
    KEY_VALUE  VARCHAR(120) CHARACTER SET UTF8 NOT NULL,
    PARTY_ID   BIGINT       NOT NULL
);
CREATE INDEX CRM_PARTY_KEY_VALUE ON CRM_PARTY_KEY (KEY_VALUE, KEY_TYPE);
CREATE INDEX CRM_PARTY_KEY_PARTY ON CRM_PARTY_KEY (PARTY_ID);

-- A person's place in a company: job, department, the ladder's level, whom they report to,
-- their part in decisions and their influence toward us (-5..+5; history in CRM_INFLUENCE).
CREATE TABLE CRM_EMPLOYMENT (
    ID             BIGINT       NOT NULL,
    PERSON_ID      BIGINT       NOT NULL,
    COMPANY_ID     BIGINT       NOT NULL,
    JOB_TITLE      VARCHAR(200) CHARACTER SET UTF8,
    DEPARTMENT     VARCHAR(200) CHARACTER SET UTF8,
    LEVEL_CODE     VARCHAR(32)  CHARACTER SET ASCII,
    REPORTS_TO     BIGINT,
    DECISION_ROLE  VARCHAR(32)  CHARACTER SET ASCII,
    INFLUENCE      SMALLINT     NOT NULL,
    SINCE          DATE,
    UNTIL          DATE,
    HOST_OWNED     SMALLINT     NOT NULL,
    CONSTRAINT PK_CRM_EMPLOYMENT PRIMARY KEY (ID)
);
CREATE INDEX CRM_EMPLOYMENT_COMPANY ON CRM_EMPLOYMENT (COMPANY_ID);
CREATE INDEX CRM_EMPLOYMENT_PERSON ON CRM_EMPLOYMENT (PERSON_ID);

CREATE TABLE CRM_INFLUENCE (
    EMPLOYMENT_ID  BIGINT     NOT NULL,
    CHANGED_AT     TIMESTAMP  NOT NULL,
    INFLUENCE      SMALLINT   NOT NULL,
    CHANGED_BY     BIGINT     NOT NULL,
    NOTE           VARCHAR(300) CHARACTER SET UTF8
);
CREATE INDEX CRM_INFLUENCE_EMPLOYMENT ON CRM_INFLUENCE (EMPLOYMENT_ID, CHANGED_AT);

-- The installation's ladder of hierarchy levels (board, management, specialists, ...).
CREATE TABLE CRM_HIERARCHY_LEVEL (
    CODE     VARCHAR(32)  CHARACTER SET ASCII NOT NULL,
    RANK_NO  SMALLINT     NOT NULL,
    NAME_RU  VARCHAR(100) CHARACTER SET UTF8 NOT NULL,
    NAME_PL  VARCHAR(100) CHARACTER SET UTF8 NOT NULL,
    NAME_EN  VARCHAR(100) CHARACTER SET UTF8 NOT NULL,
    CONSTRAINT PK_CRM_HIERARCHY_LEVEL PRIMARY KEY (CODE)
);
INSERT INTO CRM_HIERARCHY_LEVEL VALUES ('board', 1, 'Руководство', 'Zarząd', 'Board');
INSERT INTO CRM_HIERARCHY_LEVEL VALUES ('management', 2, 'Менеджмент', 'Kierownictwo', 'Management');
INSERT INTO CRM_HIERARCHY_LEVEL VALUES ('specialists', 3, 'Специалисты', 'Specjaliści', 'Specialists');
INSERT INTO CRM_HIERARCHY_LEVEL VALUES ('staff', 4, 'Сотрудники', 'Pracownicy', 'Staff');

-- Typed relations between companies, read from both sides: FROM_ID is KIND of TO_ID
-- ("dealer_of", "key_client_of", "subsidiary_of", "installer_for", "competitor_of").
CREATE TABLE CRM_PARTY_RELATION (
    ID          BIGINT       NOT NULL,
    KIND        VARCHAR(32)  CHARACTER SET ASCII NOT NULL,
    FROM_ID     BIGINT       NOT NULL,
    TO_ID       BIGINT       NOT NULL,
    SINCE       DATE,
    UNTIL       DATE,
    NOTE        VARCHAR(300) CHARACTER SET UTF8,
    CREATED_AT  TIMESTAMP    NOT NULL,
    CREATED_BY  BIGINT       NOT NULL,
    CONSTRAINT PK_CRM_PARTY_RELATION PRIMARY KEY (ID)
);
CREATE INDEX CRM_PARTY_RELATION_FROM ON CRM_PARTY_RELATION (FROM_ID);
CREATE INDEX CRM_PARTY_RELATION_TO ON CRM_PARTY_RELATION (TO_ID);

-- Trainings and certifications of installers and partner firms; the document is an attachment
-- of the event that recorded it (DOC_EVENT_ID).
CREATE TABLE CRM_CERTIFICATION (
    ID            BIGINT       NOT NULL,
    PARTY_ID      BIGINT       NOT NULL,
    PROGRAMME     VARCHAR(100) CHARACTER SET UTF8 NOT NULL,
    CERT_LEVEL    VARCHAR(50)  CHARACTER SET UTF8,
    ISSUED        DATE         NOT NULL,
    VALID_UNTIL   DATE,
    ISSUER        VARCHAR(200) CHARACTER SET UTF8,
    DOC_NAME      VARCHAR(200) CHARACTER SET UTF8,
    DOC_EVENT_ID  BIGINT,
    CREATED_AT    TIMESTAMP    NOT NULL,
    CREATED_BY    BIGINT       NOT NULL,
    CONSTRAINT PK_CRM_CERTIFICATION PRIMARY KEY (ID)
);
CREATE INDEX CRM_CERTIFICATION_PARTY ON CRM_CERTIFICATION (PARTY_ID);
CREATE INDEX CRM_CERTIFICATION_VALID ON CRM_CERTIFICATION (VALID_UNTIL);

-- Fields an administrator adds to companies or people (APPLIES_TO 'C', 'P' or 'B' both):
-- FIELD_TYPE 'text', 'number', 'date', 'choice' (CHOICES: a JSON list).
CREATE TABLE CRM_CUSTOM_FIELD (
    CODE        VARCHAR(32)  CHARACTER SET ASCII NOT NULL,
    FIELD_TYPE  VARCHAR(8)   CHARACTER SET ASCII NOT NULL,
    APPLIES_TO  CHAR(1)      CHARACTER SET ASCII NOT NULL,
    NAME_RU     VARCHAR(100) CHARACTER SET UTF8 NOT NULL,
    NAME_PL     VARCHAR(100) CHARACTER SET UTF8 NOT NULL,
    NAME_EN     VARCHAR(100) CHARACTER SET UTF8 NOT NULL,
    CHOICES     VARCHAR(2000) CHARACTER SET UTF8,
    CONSTRAINT PK_CRM_CUSTOM_FIELD PRIMARY KEY (CODE)
);

-- A merge: the absorbed party's id stays an alias of the survivor; every reference it moved is
-- a row of CRM_MERGE_MOVE (what, row, the value before), so an undo puts each one back.
CREATE TABLE CRM_PARTY_MERGE (
    ID           BIGINT     NOT NULL,
    SURVIVOR_ID  BIGINT     NOT NULL,
    ABSORBED_ID  BIGINT     NOT NULL,
    MERGED_AT    TIMESTAMP  NOT NULL,
    MERGED_BY    BIGINT     NOT NULL,
    BEFORE_DOC   BLOB SUB_TYPE TEXT CHARACTER SET UTF8 NOT NULL,
    UNDONE_AT    TIMESTAMP,
    UNDONE_BY    BIGINT,
    CONSTRAINT PK_CRM_PARTY_MERGE PRIMARY KEY (ID)
);
CREATE INDEX CRM_PARTY_MERGE_ABSORBED ON CRM_PARTY_MERGE (ABSORBED_ID);
CREATE INDEX CRM_PARTY_MERGE_SURVIVOR ON CRM_PARTY_MERGE (SURVIVOR_ID);

CREATE TABLE CRM_MERGE_MOVE (
    MERGE_ID   BIGINT       NOT NULL,
    WHAT       VARCHAR(16)  CHARACTER SET ASCII NOT NULL,
    ROW_ID     BIGINT       NOT NULL,
    OLD_VALUE  BIGINT
);
CREATE INDEX CRM_MERGE_MOVE_MERGE ON CRM_MERGE_MOVE (MERGE_ID);

-- Possible duplicates for review: found while typing or by the nightly sweep. STATE 0 open,
-- 1 not duplicates (dismissed), 2 merged. PARTY_A < PARTY_B.
CREATE TABLE CRM_DUPLICATE (
    PARTY_A   BIGINT       NOT NULL,
    PARTY_B   BIGINT       NOT NULL,
    REASON    VARCHAR(8)   CHARACTER SET ASCII NOT NULL,
    FOUND_AT  TIMESTAMP    NOT NULL,
    STATE     SMALLINT     NOT NULL,
    CONSTRAINT PK_CRM_DUPLICATE PRIMARY KEY (PARTY_A, PARTY_B)
);
CREATE INDEX CRM_DUPLICATE_STATE ON CRM_DUPLICATE (STATE);

-- How far the catalogue has followed the host's directory (the last change stamp applied).
CREATE TABLE CRM_HOST_SYNC (
    NAME        VARCHAR(32) CHARACTER SET ASCII NOT NULL,
    LAST_STAMP  BIGINT      NOT NULL,
    SYNCED_AT   TIMESTAMP   NOT NULL,
    CONSTRAINT PK_CRM_HOST_SYNC PRIMARY KEY (NAME)
);
