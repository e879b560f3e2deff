// Draws a socialcap map with vis-network: the rings and slices first (on the canvas,
// as text never as markup), then the network at the positions Python computed, with
// physics off so nothing moves.  Hover text is a plain string, which vis-network
// 9.1.2 writes with innerText.
(function () {
  "use strict";
  var data = window.socialcapData;
  var container = document.getElementById("map");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var paper = data.paper;

  network.on("beforeDrawing", function (ctx) {
    var i, r;
    for (i = paper.rings.length - 1; i >= 0; i--) {
      r = paper.rings[i];
      ctx.beginPath();
      ctx.arc(0, 0, r.radius, 0, 2 * Math.PI);
      ctx.fillStyle = r.fill;
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = "#d9d2c5";
      ctx.stroke();
    }
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 3;
    paper.dividers.forEach(function (d) {
      ctx.beginPath();
      ctx.moveTo(d[0], d[1]);
      ctx.lineTo(d[2], d[3]);
      ctx.stroke();
    });
    ctx.fillStyle = "#5a5a5a";
    ctx.font = "bold 15px 'DejaVu Sans', sans-serif";
    paper.sectors.forEach(function (s) {
      ctx.textAlign = s.align;
      ctx.textBaseline = "middle";
      s.lines.forEach(function (line, k) {
        ctx.fillText(line, s.x, s.y + (k - (s.lines.length - 1) / 2) * 18);
      });
    });
    ctx.fillStyle = "#8f8779";
    ctx.font = "italic 11px 'DejaVu Sans', sans-serif";
    ctx.textAlign = "center";
    paper.ringNames.forEach(function (n) {
      ctx.save();
      ctx.translate(n.x, n.y);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(n.text, 0, 0);
      ctx.restore();
    });
  });

  // Fit the whole paper (rings and slice names), not just the nodes, in view.
  function fitPaper() {
    var size = Math.min(container.offsetWidth, container.offsetHeight);
    network.moveTo({ position: { x: 0, y: 0 }, scale: size / (2 * paper.extent) });
  }
  fitPaper();
  window.addEventListener("resize", fitPaper);

  network.once("afterDrawing", function () {
    document.body.setAttribute("data-drawn", "yes");
  });
  // For anyone scripting the page (and for socialcap's own browser tests).
  window.socialcapMap = network;
})();
