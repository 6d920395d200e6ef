// ./conduit import as an administrator runs it: the reference host runs the CRM plugin's import
// action once on a data folder, prints the report in the user's language and exits with its code.
#include "demo_host.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

namespace {

using conduit::test::runHost;
using conduit::test::TempDir;

const std::string kFixtures = CONDUIT_SOURCE_DIR "/tests/exchange/fixtures/";

std::string importing(const std::string& data, const std::string& more) {
    return "--user admin --data '" + data + "' --action crm.catalogue.import " + more;
}

TEST(ImportCommand, AContactFileGoesIntoTheCatalogueOnceAndTheLoadCanBeUndone) {
    TempDir dir;
    const auto data = (dir / "data").string();
    const auto file = "--file '" + kFixtures + "csv/outlook_pl_cp1250.csv'";

    const auto dry = runHost(importing(data, file + " --field dry_run=1"));
    ASSERT_EQ(dry.exitCode, 0) << dry.output;
    EXPECT_NE(dry.output.find("Próba, nic nie zapisano."), std::string::npos) << dry.output;

    const auto first = runHost(importing(data, file));
    ASSERT_EQ(first.exitCode, 0) << first.output;
    EXPECT_NE(first.output.find("kodowanie windows-1250"), std::string::npos) << first.output;
    EXPECT_NE(first.output.find("Utworzono: 3,"), std::string::npos) << first.output;
    std::smatch load;
    ASSERT_TRUE(std::regex_search(first.output, load, std::regex("Wczytanie nr (\\d+)"))) << first.output;

    const auto again = runHost(importing(data, file));
    ASSERT_EQ(again.exitCode, 0) << again.output;
    EXPECT_NE(again.output.find("Utworzono: 0,"), std::string::npos) << "the same file twice:\n" << again.output;

    const auto undo = runHost("--user admin --data '" + data + "' --action crm.catalogue.undo-import --field load=" + load[1].str());
    ASSERT_EQ(undo.exitCode, 0) << undo.output;
    EXPECT_NE(undo.output.find("Cofnięto wczytanie nr " + load[1].str()), std::string::npos) << undo.output;
}

TEST(ImportCommand, WhatCannotBeReadIsToldInTheUsersLanguageWithItsExitCode) {
    TempDir dir;
    const auto data = (dir / "data").string();
    const auto missing = runHost(importing(data, "--file '" + (dir / "nie-ma.vcf").string() + "'"));
    EXPECT_EQ(missing.exitCode, 2) << missing.output;
    EXPECT_NE(missing.output.find("Nie można odczytać"), std::string::npos) << missing.output;

    const auto directory = runHost(importing(data, "--locale ru --field ldap=ldap://127.0.0.1:1/dc=example,dc=com"));
    EXPECT_EQ(directory.exitCode, 1) << directory.output;
    EXPECT_NE(directory.output.find("каталог LDAP недоступен"), std::string::npos) << directory.output;

    const auto nothing = runHost(importing(data, "--locale en"));
    EXPECT_EQ(nothing.exitCode, 1) << nothing.output;
    EXPECT_NE(nothing.output.find("A contact file or an ldap:// address is needed"), std::string::npos) << nothing.output;
}

}  // namespace

namespace {

TEST(ExportCommand, TheCatalogueGoesToAFileAndAFileThatCannotBeWrittenLeavesTheOldOne) {
    TempDir dir;
    const auto data = (dir / "data").string();
    const auto out = (dir / "katalog.xlsx").string();
    const auto imported = runHost(importing(data, "--file '" + kFixtures + "vcard/android_multi.vcf'"));
    ASSERT_EQ(imported.exitCode, 0) << imported.output;

    const auto exported = runHost("--user admin --data '" + data + "' --action crm.catalogue.export --field format=xlsx --field 'out=" +
                                  out + "'");
    ASSERT_EQ(exported.exitCode, 0) << exported.output;
    EXPECT_NE(exported.output.find("Wyeksportowano do " + out), std::string::npos) << exported.output;
    const auto size = std::filesystem::file_size(out);
    EXPECT_GT(size, 3000u);

    const auto refused = runHost("--user admin --locale en --data '" + data +
                                 "' --action crm.catalogue.export --field format=xlsx --field 'out=" + out + "/inside-a-file.xlsx'");
    EXPECT_EQ(refused.exitCode, 1) << refused.output;
    EXPECT_NE(refused.output.find("the previous file is kept"), std::string::npos) << refused.output;
    EXPECT_EQ(std::filesystem::file_size(out), size);

    const auto unknown = runHost("--user admin --locale en --data '" + data + "' --action crm.catalogue.export --field format=pdf --field out=x");
    EXPECT_EQ(unknown.exitCode, 1) << unknown.output;
    EXPECT_NE(unknown.output.find("format"), std::string::npos) << unknown.output;
}

}  // namespace
