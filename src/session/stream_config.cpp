#include "session/stream_config.hpp"

#include <boost/asio/ip/address.hpp>

namespace voxgate::session {

namespace {

Result<boost::asio::ip::udp::endpoint> endpoint_of(const sdp::TransportAddress& address) {
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(address.address, ec);
  if (ec) return make_error(Errc::Unsupported, "media address '{}' is not an IP literal", address.address);
  return boost::asio::ip::udp::endpoint(ip, address.port);
}

}  // namespace

Result<media::RtpStreamConfig> make_stream_config(const sdp::NegotiatedStream& stream, const StreamSettings& settings) {
  media::RtpStreamConfig out;
  const auto codec = media::codec_from_rtp_name(stream.codec.encoding_name, stream.codec.clock_rate);
  if (!codec) {
    return make_error(Errc::Unsupported, "the media engine does not run {}/{}", stream.codec.encoding_name,
                      stream.codec.clock_rate);
  }
  out.codec = *codec;
  out.send_payload_type = stream.codec.send_payload_type;
  out.receive_payload_type = stream.codec.receive_payload_type;
  if (stream.telephone_event) {
    out.telephone_event = media::TelephoneEventConfig{stream.telephone_event->send_payload_type,
                                                      stream.telephone_event->receive_payload_type};
  }
  auto rtp = endpoint_of(stream.remote_rtp);
  if (!rtp) return tl::unexpected(rtp.error());
  auto rtcp = endpoint_of(stream.remote_rtcp);
  if (!rtcp) return tl::unexpected(rtcp.error());
  out.remote_rtp = *rtp;
  out.remote_rtcp = *rtcp;
  out.rtcp_mux = stream.rtcp_mux;
  out.send = sdp::sends(stream.direction);
  out.receive = sdp::receives(stream.direction);
  out.media_timeout = settings.media_timeout;
  out.inband_dtmf = settings.inband_dtmf;
  return out;
}

}  // namespace voxgate::session
