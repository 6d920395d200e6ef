-- 010: the candidates of a catalogue search (party ids read from the key index), joined to
-- CRM_PARTY to sort them by name: Firebird 3 prepares and tests a list of literals slowly (1,600
-- ids: ~220 ms as IN lists, ~25 ms as this join). Rows are the connection's own and go at commit.
CREATE GLOBAL TEMPORARY TABLE CRM_PARTY_CANDIDATE (
    ID  BIGINT NOT NULL
) ON COMMIT DELETE ROWS;
