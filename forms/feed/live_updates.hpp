// The store's "new events were written" news on the GUI thread: the writer's batch callback
// (writer thread) posts to this object, which tells every open feed to look for newer rows.
#pragma once

#include <conduit/crm/timeline/event_writer.hpp>

#include <QObject>

#include <memory>

namespace conduit::forms {

class LiveUpdates : public QObject {
    Q_OBJECT
public:
    explicit LiveUpdates(QObject* parent = nullptr);
    ~LiveUpdates() override;

    // For EventWriter::onBatch. Safe to call from any thread, also after this object is gone
    // (the writer may run a copied callback just after it is replaced).
    crm::EventWriter::BatchCallback batchCallback() const;

signals:
    // GUI thread; `written` new rows in one committed batch. Feeds coalesce these themselves.
    void eventsWritten(int written);

private:
    struct Relay;
    std::shared_ptr<Relay> relay_;
};

}  // namespace conduit::forms
