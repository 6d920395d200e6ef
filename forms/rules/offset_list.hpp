// When a reminder fires, as people say it: a number, a unit (minutes, hours, days) and before or
// after the due date, one line per moment, each read back in words ("за 2 дня до срока").
#pragma once

#include "common/lang.hpp"

#include <QWidget>

#include <chrono>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

namespace conduit::forms {

class OffsetList : public QWidget {
    Q_OBJECT
public:
    explicit OffsetList(Lang lang, QWidget* parent = nullptr);

    void setOffsets(const std::vector<std::chrono::minutes>& offsets);
    std::vector<std::chrono::minutes> offsets() const;

    // One moment's line (tests drive it like a user).
    struct Line {
        QWidget* box;
        QSpinBox* amount;
        QComboBox* unit;  // data: minutes per unit (1, 60, 1440)
        QComboBox* side;  // data: -1 before the due date, +1 after it
        QLabel* words;
        QPushButton* remove;
    };
    int lineCount() const { return static_cast<int>(lines_.size()); }
    const Line& line(int i) const { return lines_.at(static_cast<std::size_t>(i)); }
    void addLine(std::chrono::minutes offset);
    QPushButton* addButton() const { return add_; }

signals:
    void changed();

private:
    void removeLine(QWidget* box);
    void readBack(const Line& line);
    std::chrono::minutes valueOf(const Line& line) const;

    Lang lang_;
    QVBoxLayout* linesLayout_ = nullptr;
    QPushButton* add_ = nullptr;
    std::vector<Line> lines_;
};

}  // namespace conduit::forms
