-- wrk: GET a random one of the first N sections (or its first student), with the API key
local n = tonumber(os.getenv("SECTIONS") or "30")
local student = os.getenv("STUDENT") == "1"
local query = os.getenv("QUERY") or ""
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("API_KEY") or "dev-key")
request = function()
  local id = math.random(1, n)
  if student then
    return wrk.format("GET", "/api/gradebook/v1/sections/" .. id .. "/students/" .. (id * 100000))
  end
  return wrk.format("GET", "/api/gradebook/v1/sections/" .. id .. query)
end

-- optional pacing: each connection waits DELAY_MS between requests (connections x 1000/DELAY_MS = rate cap)
local pause = tonumber(os.getenv("DELAY_MS") or "0")
if pause > 0 then
  delay = function() return pause end
end
