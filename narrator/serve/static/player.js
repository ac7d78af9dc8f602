// narrator web player: episodes with read-along (from their WebVTT cues) and
// live narration of library articles. No framework; one audio element.
"use strict";

const $ = (id) => document.getElementById(id);
const audio = $("audio");
const transcript = $("transcript");
const state = { cues: [], current: -1, timed: false, clickedAt: 0 };

// A key given as ?key=... on the page URL goes along with every request.
const pageKey = new URLSearchParams(location.search).get("key");
function withKey(url) {
  if (!pageKey) return url;
  return url + (url.includes("?") ? "&" : "?") + "key=" + encodeURIComponent(pageKey);
}

async function getJSON(url) {
  const response = await fetch(withKey(url));
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error.message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return response.json();
}

function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

function setStatus(text) { $("status").textContent = text; }

// --- WebVTT: "00:00:01.234 --> 00:00:03.000" lines and the text after them ----
function vttTime(text) {
  const parts = text.trim().split(":").map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

function parseVtt(text) {
  const cues = [];
  for (const block of text.replace(/\r/g, "").split(/\n\n+/)) {
    const lines = block.split("\n");
    const at = lines.findIndex((line) => line.includes("-->"));
    if (at < 0) continue;
    const [start, end] = lines[at].split("-->").map((t) => vttTime(t.trim().split(/\s+/)[0]));
    const words = lines.slice(at + 1).join(" ").trim();
    if (words) cues.push({ start, end, text: words });
  }
  return cues;
}

// --- the transcript ----------------------------------------------------------
function showTranscript(cues, timed) {
  transcript.replaceChildren();
  state.cues = cues;
  state.current = -1;
  state.timed = timed;
  transcript.dataset.current = "-1";
  cues.forEach((cue, index) => {
    const li = document.createElement("li");
    li.className = "cue";
    li.textContent = cue.text;
    if (timed) {
      li.dataset.start = cue.start.toFixed(3);
      li.tabIndex = 0;
      li.addEventListener("click", () => seekTo(index));
      li.addEventListener("keydown", (e) => { if (e.key === "Enter") seekTo(index); });
    }
    transcript.append(li);
  });
}

function cueAt(time) {
  // the last cue that started at or before `time` (cues are in order)
  let lo = 0, hi = state.cues.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (state.cues[mid].start <= time + 0.01) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
  }
  return found;
}

function highlight(index) {
  if (index === state.current) return;
  const items = transcript.children;
  if (state.current >= 0 && items[state.current]) items[state.current].classList.remove("current");
  state.current = index;
  transcript.dataset.current = String(index);
  const item = items[index];
  if (item) {
    item.classList.add("current");
    item.scrollIntoView({ block: "nearest" });
  }
}

function seekTo(index) {
  const cue = state.cues[index];
  if (!cue) return;
  audio.currentTime = cue.start;
  highlight(index);
  audio.play().catch(() => {});
}

audio.addEventListener("timeupdate", () => { if (state.timed) highlight(cueAt(audio.currentTime)); });
audio.addEventListener("seeked", () => { if (state.timed) highlight(cueAt(audio.currentTime)); });
audio.addEventListener("playing", () => {
  if (state.clickedAt) {
    const waited = (performance.now() - state.clickedAt) / 1000;
    setStatus("पहली आवाज़ " + waited.toFixed(2) + " s में");
    state.clickedAt = 0;
  }
});
audio.addEventListener("error", () => setStatus("चलाने में दिक़्क़त: " + (audio.error ? audio.error.message || audio.error.code : "")));

// --- speed -------------------------------------------------------------------------
const speed = $("speed");
speed.value = localStorage.getItem("narrator.speed") || "1";
function applySpeed() {
  const rate = Number(speed.value) || 1;
  audio.defaultPlaybackRate = rate;
  audio.playbackRate = rate;
}
speed.addEventListener("change", () => { localStorage.setItem("narrator.speed", speed.value); applySpeed(); });

// --- playing --------------------------------------------------------------------
function startPlaying(title, src) {
  $("now").hidden = false;
  $("now-title").textContent = title;
  state.clickedAt = performance.now();
  audio.src = withKey(src);
  applySpeed();
  audio.play().catch((err) => setStatus(String(err)));
}

async function playEpisode(episode) {
  setStatus("");
  let cues = [];
  if (episode.vtt) {
    const response = await fetch(withKey(episode.vtt));
    if (response.ok) cues = parseVtt(await response.text());
  }
  showTranscript(cues, true);
  startPlaying(episode.title, episode.audio);
}

async function playLive(article) {
  setStatus("बनाया जा रहा है…");
  showTranscript([], false);
  const query = new URLSearchParams();
  const picked = $("voice").selectedOptions[0];
  if (picked && picked.value) {
    query.set("engine", picked.dataset.engine);
    query.set("voice", picked.value);
  }
  const src = "/api/live/" + article.id + ".mp3" + (query.toString() ? "?" + query : "");
  startPlaying(article.title, src);
  try {
    const text = await getJSON("/api/library/" + article.id);
    showTranscript(text.sentences.map((sentence) => ({ text: sentence })), false);
  } catch (err) { setStatus(String(err.message || err)); }
}

// --- lists -------------------------------------------------------------------------
function fillList(list, rows, label, onPick, emptyText) {
  list.replaceChildren();
  if (!rows.length) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = emptyText;
    list.append(li);
    return;
  }
  for (const row of rows) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = row.title;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = label(row);
    button.append(meta);
    button.addEventListener("click", () => onPick(row));
    li.append(button);
    list.append(li);
  }
}

async function load() {
  $("feed-link").href = withKey("/feed.xml");
  try {
    const data = await getJSON("/api/episodes");
    fillList($("episodes"), data.episodes,
      (e) => [clock(e.duration_s), e.published.slice(0, 10)].join(" · "),
      playEpisode, "कोई एपिसोड नहीं — `narrator export` से बनाइए");
  } catch (err) { fillList($("episodes"), [], null, null, String(err.message || err)); }
  try {
    const data = await getJSON("/api/library");
    fillList($("articles"), data.articles,
      (a) => [a.source, a.date, a.listen].filter(Boolean).join(" · "),
      playLive, "लाइब्रेरी ख़ाली है");
  } catch (err) { fillList($("articles"), [], null, null, String(err.message || err)); }
  try {
    const data = await getJSON("/v1/audio/voices");
    for (const voice of data.voices) {
      const option = document.createElement("option");
      option.value = voice.name;
      option.dataset.engine = voice.engine;
      option.textContent = voice.name + " (" + voice.engine + ", " + voice.licence + ")";
      $("voice").append(option);
    }
  } catch (_) { /* the default voice still works */ }
}

load();
