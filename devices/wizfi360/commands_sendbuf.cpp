// CIPSENDEX and the CIPSENDBUF family (manual 3.3.8-3.3.12, spec §1.8, decision 40): CIPSENDBUF queues a
// segment without waiting for SEND OK; each segment reports `[<id>,]<seg>,SEND OK` once the socket took it.
#include <algorithm>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/payload_entry.hpp"
#include "devices/wizfi360/send_target.hpp"

namespace simdev::wizfi360 {
namespace {

void cipsendex(Module& m, const at::Request& req) {
  auto target = parse_send_target(m, req, true);
  if (!target) return;
  m.send("\r\nOK\r\n> ");
  collect_payload(m, PayloadEntry{target->length, true},
                  [&m, target = *target](Bytes payload) { send_payload(m, target, std::move(payload)); });
}

// The segment buffer belongs to TCP links only; answers the error itself when the link has none.
bool has_send_buffer(Module& m, int id) {
  const Link& link = m.links().at(id);
  if (!link.open()) return m.error("link is not valid"), false;
  if (link.held) return m.error("use MQTTPUB"), false;
  if (link.type == "SSL") return m.error("ssl not supported"), false;
  if (link.type != "TCP") return m.error(), false;
  return true;
}

void cipsendbuf(Module& m, const at::Request& req) {
  auto target = parse_send_target(m, req, false);
  if (!target || !has_send_buffer(m, target->id)) return;
  const int id = target->id;
  SendBuffer& buffer = m.links().at(id).sendbuf;
  if (buffer.in_flight + target->length > m.links().timing().sendbuf_bytes) return m.error();  // buffer full
  m.send(std::to_string(buffer.next) + "," + std::to_string(buffer.acked) + "\r\n\r\nOK\r\n> ");
  collect_payload(m, PayloadEntry{target->length, false}, [&m, id](Bytes payload) {
    Link& link = m.links().at(id);
    if (!link.stream) return m.send("\r\nSEND FAIL\r\n");  // the link went away during data entry
    const std::uint32_t segment = link.sendbuf.next++;
    const std::size_t size = payload.size();
    link.sendbuf.sent = segment;
    link.sendbuf.in_flight += size;
    ++link.sendbuf.segments_in_flight;
    m.links().write(id, std::move(payload), [&m, id, segment, size](bool ok) {
      SendBuffer& b = m.links().at(id).sendbuf;
      b.in_flight -= std::min(b.in_flight, size);
      --b.segments_in_flight;
      if (!ok) {
        if (b.failed == 0) b.failed = segment;
        return m.send("\r\nSEND FAIL\r\n");
      }
      b.acked = segment;
      m.send("\r\n" + m.links().prefix(id) + std::to_string(segment) + ",SEND OK\r\n");
    });
  });
}

// The link id of the `[=<id>]` forms: execute in single mode, `=<id>` in multi mode.
std::optional<int> link_of(Module& m, const std::optional<at::Arg>& id_arg) {
  const bool mux = m.links().mux();
  if (mux != id_arg.has_value()) return m.error(mux ? "MUX=1" : "MUX=0"), std::nullopt;
  if (!mux) return 0;
  auto id = at::to_int(*id_arg, 0, Links::kCount - 1);
  if (!id) return m.error("ID ERROR"), std::nullopt;
  return static_cast<int>(*id);
}

std::optional<at::Arg> only_arg(Module& m, const at::Request& req) {
  auto a = parse_args(req, 1, 1);
  if (!a) return m.error(), std::nullopt;
  return (*a)[0];
}

void cipbufstatus(Module& m, const std::optional<at::Arg>& id_arg) {
  auto id = link_of(m, id_arg);
  if (!id || !has_send_buffer(m, *id)) return;
  const SendBuffer& b = m.links().at(*id).sendbuf;
  const std::size_t capacity = m.links().timing().sendbuf_bytes;
  const long queue = std::max(0L, m.links().timing().sendbuf_queue - b.segments_in_flight);
  m.send(std::to_string(b.next) + "," + std::to_string(b.sent) + "," + std::to_string(b.acked) + "," +
         std::to_string(capacity - std::min(capacity, b.in_flight)) + "," + std::to_string(queue) + "\r\n\r\nOK\r\n");
}

void cipbufreset(Module& m, const std::optional<at::Arg>& id_arg) {
  auto id = link_of(m, id_arg);
  if (!id || !has_send_buffer(m, *id)) return;
  SendBuffer& b = m.links().at(*id).sendbuf;
  if (b.segments_in_flight > 0) return m.error();  // data still waits to be sent
  b = SendBuffer{};
  m.ok();
}

void cipcheckseq(Module& m, const at::Request& req) {
  const bool mux = m.links().mux();
  auto a = parse_args(req, 1, 2);
  if (!a) return m.error();
  if (a->size() != (mux ? 2u : 1u)) return m.error(mux ? "MUX=1" : "MUX=0");
  auto id = link_of(m, mux ? std::optional<at::Arg>((*a)[0]) : std::nullopt);
  if (!id) return;
  auto segment = at::to_int(a->back(), 0, 0xFFFFFFFFL);
  if (!segment) return m.error();
  if (!has_send_buffer(m, *id)) return;
  const SendBuffer& b = m.links().at(*id).sendbuf;
  const auto seg = static_cast<std::uint32_t>(*segment);
  const bool delivered = seg >= 1 && seg <= b.acked && (b.failed == 0 || seg < b.failed);
  m.send(m.links().prefix(*id) + std::to_string(seg) + (delivered ? ",TRUE" : ",FALSE") + "\r\n\r\nOK\r\n");
}

}  // namespace

void add_sendbuf_commands(Module& m, at::CommandTable& t) {
  t.add({.name = "+CIPSENDEX", .set = [&m](const at::Request& req) { cipsendex(m, req); }});
  t.add({.name = "+CIPSENDBUF", .set = [&m](const at::Request& req) { cipsendbuf(m, req); }});
  t.add({.name = "+CIPBUFSTATUS",
         .set =
             [&m](const at::Request& req) {
               if (auto arg = only_arg(m, req)) cipbufstatus(m, arg);
             },
         .execute = [&m](const at::Request&) { cipbufstatus(m, std::nullopt); }});
  t.add({.name = "+CIPBUFRESET",
         .set =
             [&m](const at::Request& req) {
               if (auto arg = only_arg(m, req)) cipbufreset(m, arg);
             },
         .execute = [&m](const at::Request&) { cipbufreset(m, std::nullopt); }});
  t.add({.name = "+CIPCHECKSEQ", .set = [&m](const at::Request& req) { cipcheckseq(m, req); }});
}

}  // namespace simdev::wizfi360
