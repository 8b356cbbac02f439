// Pseudonyms of subjects: the keyed hash, the key file and the table of identifiers (pipeline/pseudonyms.h).
// That no identifier reaches any output of a run is tested end to end in cli/privacy_cli_test.sh.
#include "pipeline/pseudonyms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "io/checksum.h"
#include "io/errors.h"
#include "io/temporary_folder.h"

namespace leptoscan::pipeline {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

std::string ReadText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::perms Permissions(const fs::path& file) {
  return fs::status(file).permissions() & fs::perms::mask;
}

TEST(HmacSha256, MatchesTheRfc4231TestVector) {
  EXPECT_EQ(io::HmacSha256("Jefe", "what do ya want for nothing?"),  // RFC 4231, test case 2
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(SubjectIds, APseudonymIsTheKeyedHashOfThePatientIdAndDependsOnTheKey) {
  const std::string key(40, 'k');
  const SubjectIds ids(key);
  EXPECT_TRUE(ids.pseudonymous());
  EXPECT_EQ(ids("Doe^John"), "LS-" + io::HmacSha256(key, "Doe^John").substr(0, 10));
  EXPECT_THAT(ids("Doe^John"), MatchesRegex("LS-[0-9a-f]{10}"));
  EXPECT_EQ(ids("Doe^John"), SubjectIds(key)("Doe^John"));
  EXPECT_NE(ids("Doe^John"), ids("Doe^Jane"));
  EXPECT_NE(ids("Doe^John"), SubjectIds(std::string(40, 'l'))("Doe^John"));
  EXPECT_FALSE(SubjectIds().pseudonymous());
  EXPECT_EQ(SubjectIds()("Doe^John"), "Doe^John");
}

TEST(PseudonymKey, IsCreatedPrivateOnFirstUseAndReadBackAfter) {
  const io::TemporaryFolder folder("pseudonym-key-test");
  const fs::path file = DefaultPseudonymKeyFile(folder.path() / "out");
  const std::string key = ReadOrCreatePseudonymKey(file);
  EXPECT_THAT(key, MatchesRegex("[0-9a-f]{64}"));
  EXPECT_EQ(Permissions(file), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(ReadOrCreatePseudonymKey(file), key);
  EXPECT_NE(ReadOrCreatePseudonymKey(folder.path() / "other.key"), key);

  std::ofstream(folder.path() / "lab.key") << std::string(32, 'x') << "\n";
  EXPECT_EQ(ReadOrCreatePseudonymKey(folder.path() / "lab.key"), std::string(32, 'x'));
  std::ofstream(folder.path() / "short.key") << std::string(31, 'x');
  try {
    ReadOrCreatePseudonymKey(folder.path() / "short.key");
    FAIL() << "a short key was accepted";
  } catch (const io::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("short.key: a pseudonym key needs at least 32 characters"));
  }
}

TEST(Identifiers, AreAddedSortedOnceEscapedAndPrivate) {
  const io::TemporaryFolder folder("identifiers-test");
  const fs::path file = folder.path() / "identifiers.tsv";
  RecordIdentifier(folder.path(), "LS-bbbbbbbbbb", "P2");
  RecordIdentifier(folder.path(), "LS-aaaaaaaaaa", "Doe\tJohn\\1\n");
  RecordIdentifier(folder.path(), "LS-bbbbbbbbbb", "P2");
  EXPECT_EQ(ReadText(file), "subject\tpatient_id\nLS-aaaaaaaaaa\tDoe\\tJohn\\\\1\\n\nLS-bbbbbbbbbb\tP2\n");
  EXPECT_EQ(Permissions(file), fs::perms::owner_read | fs::perms::owner_write);
  try {
    RecordIdentifier(folder.path(), "LS-bbbbbbbbbb", "P3");
    FAIL() << "two PatientIDs under one pseudonym";
  } catch (const io::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("identifiers.tsv: subject LS-bbbbbbbbbb is there for another PatientID"));
  }
}

}  // namespace
}  // namespace leptoscan::pipeline
