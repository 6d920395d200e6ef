// The exception barrier: every place where plugin code runs under Qt (slots, event handlers,
// queued results, pool work) goes through it, so nothing is ever thrown into Qt's event loop.
#pragma once

#include "common/lang.hpp"

#include <conduit/sdk/services.hpp>

#include <QObject>
#include <QPointer>

#include <exception>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace conduit::forms {

// Where the barrier reports, set once by registerCrmForms (GUI thread). Without a logger the
// report goes to stderr; without a language the message is English.
void setBarrierLogger(sdk::ILogger* logger);
void setBarrierLanguage(const Lang& lang);

// What escaped `what` (a short name of the entry point, e.g. "feed double-click"): logged as an
// error through the host logger (which flushes errors) and, when `context` is a widget or has
// one above it, told to the user in one short line in their language. GUI thread for `context`;
// pass null from a worker thread (logged only). Never throws.
void reportEscaped(QObject* context, const char* what, std::exception_ptr error) noexcept;

// How many reports were made in this process (tests and diagnostics).
int escapedCount() noexcept;

// Runs fn() now; an exception is reported (see reportEscaped) instead of propagating. True when
// fn returned normally.
template <typename F>
bool runGuarded(QObject* context, const char* what, F&& fn) noexcept {
    try {
        std::forward<F>(fn)();
        return true;
    } catch (...) {
        reportEscaped(context, what, std::current_exception());
        return false;
    }
}

namespace barrier_detail {

template <typename F, typename Tuple, std::size_t... I>
constexpr bool invocableWith(std::index_sequence<I...>) {
    return std::is_invocable_v<F&, std::tuple_element_t<I, Tuple>...>;
}

// Calls fn with the longest leading part of `args` it accepts, as Qt does for slots.
template <std::size_t N, typename F, typename Tuple>
void callWithPrefix(F& fn, Tuple&& args) {
    using T = std::remove_reference_t<Tuple>;
    if constexpr (invocableWith<F, T>(std::make_index_sequence<N>{})) {
        [&]<std::size_t... I>(std::index_sequence<I...>) { fn(std::get<I>(std::forward<Tuple>(args))...); }(std::make_index_sequence<N>{});
    } else {
        static_assert(N > 0, "the function takes none of the signal's arguments");
        if constexpr (N > 0) callWithPrefix<N - 1>(fn, std::forward<Tuple>(args));
    }
}

}  // namespace barrier_detail

// fn wrapped for connect(): called with the signal's arguments (as many leading ones as it
// takes) behind the barrier. `context` is held weakly, so a report after it is gone only logs.
//   connect(button, &QPushButton::clicked, this, guarded(this, "mark all read", [this] { ... }));
template <typename F>
auto guarded(QObject* context, const char* what, F fn) {
    return [ctx = QPointer<QObject>(context), what, fn = std::move(fn)](auto&&... args) mutable -> void {
        runGuarded(ctx.data(), what, [&] {
            barrier_detail::callWithPrefix<sizeof...(args)>(fn, std::forward_as_tuple(std::forward<decltype(args)>(args)...));
        });
    };
}

// For work handed to a thread pool: the same barrier without a widget (logged only).
template <typename F>
auto guardedWork(const char* what, F fn) {
    return [what, fn = std::move(fn)]() mutable -> void { runGuarded(nullptr, what, fn); };
}

}  // namespace conduit::forms
