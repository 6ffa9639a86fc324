#pragma once
// What a voice bot call is made of: the conversation's behaviour, the
// agent, and the embedded providers' options. One set per profile: [bot]
// is the default profile, [bots.<name>] the others (app/bot_config.hpp).
#include <map>
#include <string>
#include <string_view>

#include "bot/agent/http_agent_config.hpp"
#include "bot/agent/menu_agent.hpp"
#include "bot/agent/websocket_agent.hpp"
#include "bot/pipeline/conversation.hpp"
#include "bot/stt/pocketsphinx_recognizer.hpp"
#include "bot/tts/synthesizer_factory.hpp"
#include "bot/voice/webrtc_voice_processor.hpp"

namespace voxgate::bot {

enum class AgentKind : std::uint8_t {
  Menu,            // MenuAgent over `menu`
  EchoTranscript,  // says back what it heard (a microphone check)
  Http,            // HttpAgent: a web service decides (`http`)
  WebSocket,       // WebSocketAgent: a service over one WebSocket per call (`websocket`)
};
std::string_view to_string(AgentKind kind) noexcept;

struct BotSettings {
  int sample_rate = 8000;  // the sessions' app rate: VAD, recogniser and voice run at it
  ConversationConfig conversation;
  AgentKind agent = AgentKind::Menu;
  MenuConfig menu = demo_menu();
  HttpAgentConfig http;            // agent Http: the URL, timeouts, retries, the breaker
  WebSocketAgentConfig websocket;  // agent WebSocket: the URL, timeouts
  TtsSettings tts;                 // the provider that speaks ([bot] tts) and its voice; output at sample_rate
  WebrtcVoiceOptions vad;
  PocketsphinxOptions stt;
};

// The profile [bot] configures, and a route without `bot` uses.
inline constexpr std::string_view kDefaultBotProfile = "default";

// Profiles by name (kDefaultBotProfile among them when [bot] is used).
using BotProfiles = std::map<std::string, BotSettings, std::less<>>;

}  // namespace voxgate::bot
