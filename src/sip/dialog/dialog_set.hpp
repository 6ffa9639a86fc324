#pragma once
// The dialogs one INVITE we sent may create (RFC 3261 §12.1.2, §13.2.2.4):
// a forking proxy can return provisional responses from several UAS, each
// with its own To tag and so its own early dialog, and more than one of them
// may answer 2xx. The set shares the Call-ID and our From tag and keeps one
// dialog per remote tag.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/dialog_id.hpp"
#include "sip/message/message.hpp"

namespace voxgate::sip {

// Forking beyond this many branches is refused rather than remembered: a
// bound on what one INVITE can make us store.
inline constexpr std::size_t kMaxDialogsPerSet = 16;

// What a response to the INVITE did to the set.
struct DialogSetUpdate {
  enum class Kind : std::uint8_t {
    Provisional,     // 100, or a 1xx without To tag: no dialog
    EarlyCreated,    // a 1xx with a new To tag: a new early dialog
    EarlyUpdated,    // a 1xx for an existing early dialog
    Confirmed,       // a 2xx: the dialog with its tag is confirmed (created when new)
    Retransmission,  // a 2xx again for a confirmed dialog: ACK it again
    Failed,          // a non-2xx final response: every early dialog ended (§12.3)
    Ignored,         // nothing to do (a late 1xx for a dialog already confirmed or ended)
  };

  Kind kind = Kind::Provisional;
  Dialog* dialog = nullptr;  // the dialog concerned; valid until the set changes
  bool created = false;      // with Confirmed: the 2xx created the dialog (no 1xx before)
};

std::string_view to_string(DialogSetUpdate::Kind kind) noexcept;

class DialogSet {
 public:
  // From the INVITE we sent (which owns its bytes: the set keeps a copy).
  static Result<DialogSet> from_invite(Message invite);

  [[nodiscard]] const DialogSetId& id() const noexcept { return id_; }
  [[nodiscard]] const Message& invite() const noexcept { return invite_; }
  [[nodiscard]] std::uint32_t invite_cseq() const noexcept { return invite_cseq_; }

  // A response to the INVITE (the transaction matched it; the set checks it
  // belongs here: same Call-ID, our From tag, the INVITE's CSeq).
  Result<DialogSetUpdate> on_invite_response(const Message& response);

  [[nodiscard]] Dialog* find(std::string_view remote_tag);
  [[nodiscard]] const Dialog* find(std::string_view remote_tag) const;
  [[nodiscard]] std::size_t size() const noexcept { return dialogs_.size(); }
  [[nodiscard]] std::size_t count(DialogState state) const noexcept;
  void for_each(const std::function<void(Dialog&)>& fn);

  // Ends every early dialog (the INVITE was cancelled, or another branch's
  // 2xx was answered and the others had their 64*T1, §13.2.2.4). Returns how
  // many ended.
  std::size_t terminate_early(DialogEndReason reason);

  // Forgets terminated dialogs.
  void remove_terminated();

 private:
  DialogSet(Message invite, DialogSetId id, std::uint32_t cseq)
      : invite_(std::move(invite)), id_(std::move(id)), invite_cseq_(cseq) {}

  Result<DialogSetUpdate> add(const Message& response, DialogSetUpdate::Kind kind);

  Message invite_;
  DialogSetId id_;
  std::uint32_t invite_cseq_ = 0;
  std::map<std::string, Dialog, std::less<>> dialogs_;  // by remote tag
};

}  // namespace voxgate::sip
