#include "sip/transport/tcp_connection.hpp"

#include <cassert>
#include <utility>

#include <boost/asio/write.hpp>

namespace voxgate::sip {

namespace {

using Tcp = boost::asio::ip::tcp;

// A CRLF pong answers a double-CRLF ping (RFC 5626 §4.4.1).
constexpr std::string_view kPong = "\r\n";

Address to_address(const Tcp::endpoint& endpoint) {
  return Address{endpoint.address(), endpoint.port()};
}

}  // namespace

TcpConnection::TcpConnection(Tcp::socket socket, ConnectionId id, ConnectionDirection direction, Address remote,
                             const Context& context)
    : socket_(std::move(socket)),
      id_(id),
      direction_(direction),
      remote_(std::move(remote)),
      context_(context),
      state_(direction == ConnectionDirection::Inbound ? TcpState::Open : TcpState::Connecting),
      framer_(context.limits),
      created_at_(context.clock.now()),
      last_activity_(created_at_) {
  boost::system::error_code ec;
  if (const auto local = socket_.local_endpoint(ec); !ec) local_ = to_address(local);
}

TcpConnection::~TcpConnection() = default;

std::shared_ptr<TcpConnection> TcpConnection::accepted(Tcp::socket socket, ConnectionId id, const Address& remote,
                                                       const Context& context) {
  return std::shared_ptr<TcpConnection>(
      new TcpConnection(std::move(socket), id, ConnectionDirection::Inbound, remote, context));
}

std::shared_ptr<TcpConnection> TcpConnection::connecting(boost::asio::io_context& io, ConnectionId id,
                                                         const Address& remote, const Context& context) {
  return std::shared_ptr<TcpConnection>(
      new TcpConnection(Tcp::socket(io), id, ConnectionDirection::Outbound, remote, context));
}

bool TcpConnection::apply(TcpEvent event) {
  auto next = tcp_transition(state_, event);
  if (!next) return false;
  state_ = *next;
  return true;
}

void TcpConnection::start() {
  if (state_ == TcpState::Connecting) {
    connect();
  } else if (state_ == TcpState::Open) {
    disable_nagle();
    read();
  }
}

void TcpConnection::disable_nagle() {
  // Each SIP message leaves in one write and its answer is awaited: Nagle's
  // algorithm would hold a message back until the previous one is ACKed
  // (delayed ACK: up to 40 ms), which showed as setup latency at low rates.
  boost::system::error_code ignored;
  socket_.set_option(Tcp::no_delay(true), ignored);
}

void TcpConnection::connect() {
  socket_.async_connect(
      Tcp::endpoint(remote_.ip, remote_.port), [self = shared_from_this()](const boost::system::error_code& ec) {
        if (self->state_ != TcpState::Connecting) return;  // closed meanwhile
        if (ec) {
          self->end(TcpEvent::ConnectFailed, TcpCloseCause::ConnectFailed,
                    Error{Errc::Io, fmt::format("TCP connect to {}: {}", self->remote_, ec.message())});
          return;
        }
        self->apply(TcpEvent::Connected);
        self->disable_nagle();
        boost::system::error_code ignored;
        if (const auto local = self->socket_.local_endpoint(ignored); !ignored) {
          self->local_ = to_address(local);
        }
        self->last_activity_ = self->context_.clock.now();
        self->read();
        self->write_next();
      });
}

void TcpConnection::read() {
  if (reading_ || state_ != TcpState::Open) return;
  reading_ = true;
  const auto space = framer_.prepare(context_.config.read_chunk_bytes);
  read_into_ = space.data();
  socket_.async_read_some(boost::asio::buffer(space.data(), space.size()),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            self->reading_ = false;
                            if (self->state_ != TcpState::Open) return;
                            if (ec) {
                              const bool eof = ec == boost::asio::error::eof;
                              self->end(TcpEvent::Failed, TcpCloseCause::PeerClosed,
                                        Error{Errc::Io, eof ? std::string("TCP connection closed by the peer")
                                                            : fmt::format("TCP read: {}", ec.message())});
                              return;
                            }
                            self->on_read(n);
                          });
}

void TcpConnection::on_read(std::size_t n) {
  // The chunk just read stays valid until the next prepare(): next() never
  // moves the framer's buffer.
  framer_.commit(n);
  const std::string_view chunk(read_into_, n);
  bytes_read_ += n;
  context_.counters.tcp.bytes_in.add(n);
  while (state_ == TcpState::Open) {
    auto frame = framer_.next();
    if (!frame) {
      // The failing message starts after the last frame; when that is in
      // this chunk the upcall gets it to answer 400.
      const std::uint64_t chunk_start = bytes_read_ - n;
      std::string_view unframed;
      if (bytes_framed_ >= chunk_start) unframed = chunk.substr(static_cast<std::size_t>(bytes_framed_ - chunk_start));
      const std::string reason = "bad framing: " + frame.error().reason;
      auto last_words = context_.events.on_framing_error(*this, unframed, frame.error());
      if (state_ != TcpState::Open) return;
      if (last_words && send(std::move(*last_words))) {
        apply(TcpEvent::DrainRequested);  // write_next() closes once the 400 is out
      } else {
        close(TcpCloseCause::BadFraming, reason);
      }
      return;
    }
    if (!*frame) {
      // What is left is the start of one message; more than the limit means
      // a peer feeding us bytes that never make a message.
      if (framer_.buffered() > context_.config.max_input_bytes) {
        close(TcpCloseCause::Overflow, "TCP input buffer limit exceeded");
        return;
      }
      break;
    }
    Frame& f = **frame;
    switch (f.kind) {
      case FrameKind::KeepAlivePing:
        bytes_framed_ += 4;
        last_activity_ = context_.clock.now();
        context_.counters.keepalives_in.add();
        (void)enqueue(PendingSend{std::string(kPong), {}, false});
        break;
      case FrameKind::KeepAlivePong:
        bytes_framed_ += 2;
        last_activity_ = context_.clock.now();
        context_.counters.keepalives_in.add();
        break;
      case FrameKind::Message:
        bytes_framed_ += f.bytes.size();
        last_activity_ = context_.clock.now();
        context_.events.on_frame(*this, std::move(f.bytes));
        break;
    }
  }
  read();
}

Result<void> TcpConnection::send(std::string bytes, SendFailureHandler on_failure) {
  return enqueue(PendingSend{std::move(bytes), std::move(on_failure), true});
}

Result<void> TcpConnection::enqueue(PendingSend pending) {
  if (state_ != TcpState::Open && state_ != TcpState::Connecting) {
    return make_error(Errc::InvalidState, "TCP connection to {} is {}", remote_, to_string(state_));
  }
  if (queued_bytes_ + pending.bytes.size() > context_.config.max_output_bytes) {
    close(TcpCloseCause::Overflow, "TCP output queue limit exceeded");
    return make_error(Errc::LimitExceeded, "TCP output queue to {} over {} bytes: connection closed", remote_,
                      context_.config.max_output_bytes);
  }
  queued_bytes_ += pending.bytes.size();
  output_.push_back(std::move(pending));
  // Sending a message counts as traffic from when it is handed over, so a
  // reply keeps its connection alive however fast the kernel takes it.
  last_activity_ = context_.clock.now();
  write_next();
  return {};
}

void TcpConnection::write_next() {
  if (writing_ || output_.empty() || (state_ != TcpState::Open && state_ != TcpState::Draining)) return;
  writing_ = true;
  const std::string& bytes = output_.front().bytes;
  boost::asio::async_write(socket_, boost::asio::buffer(bytes),
                           [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                             self->writing_ = false;
                             if (self->state_ == TcpState::Closed) return;
                             if (ec) {
                               self->end(TcpEvent::Failed, TcpCloseCause::PeerClosed,
                                         Error{Errc::Io, fmt::format("TCP write: {}", ec.message())});
                               return;
                             }
                             self->context_.counters.tcp.bytes_out.add(n);
                             if (self->output_.front().is_message) {
                               TransportCounters& counters = self->context_.counters;
                               counters.tcp.messages_out.add();
                               counters.messages_out_by_kind.count_serialized(self->output_.front().bytes);
                             }
                             self->queued_bytes_ -= self->output_.front().bytes.size();
                             self->output_.pop_front();
                             if (self->output_.empty() && self->state_ == TcpState::Draining) {
                               self->end(TcpEvent::Flushed, TcpCloseCause::BadFraming,
                                         Error{Errc::InvalidArgument, "closed after a framing error"});
                               return;
                             }
                             self->write_next();
                           });
}

void TcpConnection::close(TcpCloseCause cause, std::string_view reason) {
  end(TcpEvent::CloseNow, cause,
      Error{cause == TcpCloseCause::Overflow ? Errc::LimitExceeded : Errc::Io, std::string(reason)});
}

void TcpConnection::check_timeouts(Clock::TimePoint now) {
  if (state_ == TcpState::Connecting && now - created_at_ >= context_.config.connect_timeout) {
    end(TcpEvent::ConnectFailed, TcpCloseCause::ConnectFailed,
        Error{Errc::Timeout,
              fmt::format("TCP connect to {}: no answer in {} ms", remote_, context_.config.connect_timeout.count())});
  } else if ((state_ == TcpState::Open || state_ == TcpState::Draining) &&
             now - last_activity_ >= context_.config.idle_timeout) {
    end(TcpEvent::CloseNow, TcpCloseCause::IdleTimeout,
        Error{Errc::Timeout,
              fmt::format("TCP connection to {} idle for {} ms", remote_, context_.config.idle_timeout.count())});
  }
}

void TcpConnection::end(TcpEvent event, TcpCloseCause cause, const Error& reason) {
  if (state_ == TcpState::Closed) return;  // already ended: a late completion
  auto next = tcp_transition(state_, event);
  // Every caller passes an event that closes from the states it checked; a
  // failed transition is a bug, and the connection closes regardless.
  assert(next && *next == TcpState::Closed);
  (void)next;
  state_ = TcpState::Closed;
  boost::system::error_code ignored;
  socket_.shutdown(Tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  std::deque<PendingSend> failed;
  failed.swap(output_);
  queued_bytes_ = 0;
  // Keep *this alive through the upcalls: the owner drops its reference in
  // on_closed.
  const auto self = shared_from_this();
  for (PendingSend& pending : failed) {
    if (pending.on_failure) pending.on_failure(reason);
  }
  context_.events.on_closed(*this, cause, reason);
}

}  // namespace voxgate::sip
