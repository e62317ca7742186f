-- wrk script for fleet.sh: GETs the fleet's documents in turn, from the manifest's list of paths (one a line, given
-- after --, then the number of threads), each thread starting at its own place in the list. The Accept header, the
-- count of answers that are not 2xx and the RESULT line are those of get-actor.lua, beside this script.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "get-actor.lua")

local started = 0
local count_thread = setup
function setup(thread)
  thread:set("id", started)
  started = started + 1
  count_thread(thread)
end

local reset_counts = init
function init(args)
  reset_counts(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  -- The number of threads is not known inside a thread: it comes as the second argument.
  at = (id * math.floor(#paths / tonumber(args[2] or "2"))) % #paths
end

function request()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end
