// Layout memory: how one user arranged a form (column widths, splitter positions, the window's
// size) kept through the host's settings, key "crm.forms.layout.<login>.<form>.<part>".
#pragma once

#include <conduit/sdk/services.hpp>

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <optional>
#include <string>
#include <string_view>

class QHeaderView;
class QSplitter;
class QTimer;
class QWidget;

namespace conduit::forms {

class LayoutMemory : public QObject {
    Q_OBJECT
public:
    // settings null: nothing is remembered (every call is a no-op, restore returns false).
    LayoutMemory(sdk::ISettings* settings, std::string login, std::string form, QObject* parent = nullptr);
    ~LayoutMemory() override;  // writes what changed and was not written yet

    static std::string keyFor(std::string_view login, std::string_view form, std::string_view part);
    std::string key(std::string_view part) const { return keyFor(login_, form_, part); }

    std::optional<QByteArray> get(std::string_view part) const;
    void set(std::string_view part, const QByteArray& state);

    // Restores the part now (true when a saved state was applied) and from then on keeps it: a
    // change is written shortly after it stops (a drag writes once), and on destruction.
    bool track(std::string_view part, QHeaderView* header);
    bool track(std::string_view part, QSplitter* splitter);
    // The top-level window `inside` belongs to: its geometry (size, position, maximized).
    // Call once `inside` is in its window (e.g. on first show).
    bool trackWindow(std::string_view part, QWidget* inside);

    void saveNow();  // every tracked part, now

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Tracked;
    void changed();

    sdk::ISettings* settings_;
    std::string login_, form_;
    std::vector<Tracked> tracked_;
    QTimer* timer_ = nullptr;
};

}  // namespace conduit::forms
