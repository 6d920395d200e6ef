// The host's form registry: plugins add tabs and menu entries to the host's main window.
// The host owns the widgets once created and destroys them when the form is removed.
#pragma once

#include <functional>
#include <string>

class QWidget;  // the SDK does not force Qt on a plugin that has no forms

namespace conduit::sdk {

struct FormSpec {
    std::string id;        // unique, e.g. "crm.dispatcher"
    std::string title;     // tab title, host locale
    std::string menuPath;  // e.g. "CRM/Dispatcher workstation"
    bool openOnStart = false;
    // Called on the GUI thread; the returned widget is parented into the host's window.
    std::function<QWidget*(QWidget* parent)> create;
};

class IFormRegistry {
public:
    virtual ~IFormRegistry() = default;
    virtual void addForm(FormSpec spec) = 0;
    // Closes the form's tab (destroying its widget) and removes its menu entry.
    virtual void removeForm(const std::string& id) = 0;
    // Brings a registered form to front, creating its widget if needed. False if unknown.
    virtual bool openForm(const std::string& id) = 0;
};

}  // namespace conduit::sdk
